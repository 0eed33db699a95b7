//go:build js && wasm

// Command wasm is the browser verifier's WebAssembly program: offcode's own
// scanner and verifier, run by the page's Web Worker. It sets
// globalThis.offcode to an object of functions (see install) and calls
// globalThis.offcodeReady() if the page defined it. The JavaScript around
// it handles the camera, storage and rendering only.
package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/offcode/offcode/scan"
)

func main() {
	a := &app{}
	install(a)
	if ready := js.Global().Get("offcodeReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// app is the program's state: the device trust state, the scanner and the
// buffer frames are copied into (reused: a 1280×720 frame is 3.7 MB).
type app struct {
	dev   *device
	sc    scanner
	frame []byte
}

// install sets globalThis.offcode. Every function returns an object; a
// failure is {error: "message"}.
//
//	init(roots: string[])                 provision the root public keys (base64, 32 bytes each)
//	restore(payload: Uint8Array)          reinstall the bundle stored after accept
//	accept(bundle: Uint8Array)            offer a signed bundle or delta from /v1/bundle
//	info(nowMs)                           the bundle held: sequence, expiry, staleness
//	scanFrame(rgba, width, height, nowMs) scan an RGBA picture (every attempt) and verify what it holds
//	scanCamera(rgba, width, height, nowMs) the same for a live camera frame: scan.Quick, the cheap attempt only
//	verifyText(text, nowMs)               verify a code's text
//	checkID(idNumber, nowMs)              check the last code against an ID number (Argon2id)
func install(a *app) {
	fns := map[string]func(args []js.Value) (map[string]any, error){
		"init":       a.init,
		"restore":    a.restore,
		"accept":     a.accept,
		"info":       a.info,
		"scanFrame":  func(args []js.Value) (map[string]any, error) { return a.scanFrame(args, false) },
		"scanCamera": func(args []js.Value) (map[string]any, error) { return a.scanFrame(args, true) },
		"verifyText": a.verifyText,
		"checkID":    a.checkID,
	}
	obj := js.Global().Get("Object").New()
	for name, f := range fns {
		obj.Set(name, js.FuncOf(func(this js.Value, args []js.Value) any {
			out, err := f(args)
			if err != nil {
				return map[string]any{"error": err.Error()}
			}
			return out
		}))
	}
	js.Global().Set("offcode", obj)
}

func (a *app) init(args []js.Value) (map[string]any, error) {
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return nil, errors.New("web: init wants an array of root keys")
	}
	n := args[0].Length()
	roots := make([]ed25519.PublicKey, 0, n)
	for i := range n {
		b, err := base64.StdEncoding.DecodeString(args[0].Index(i).String())
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("web: root key %d is not %d bytes of base64", i, ed25519.PublicKeySize)
		}
		roots = append(roots, ed25519.PublicKey(b))
	}
	if len(roots) == 0 {
		return nil, errors.New("web: no root key: the server was started without --root")
	}
	a.dev = newDevice(roots)
	return map[string]any{"roots": n}, nil
}

func (a *app) ready() error {
	if a.dev == nil {
		return errors.New("web: not initialised with root keys")
	}
	return nil
}

func (a *app) restore(args []js.Value) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	b, err := bytesArg(args, 0, 64<<20)
	if err != nil {
		return nil, err
	}
	if err := a.dev.restore(b); err != nil {
		return nil, err
	}
	return infoObject(a.dev.info(), time.Now()), nil
}

func (a *app) accept(args []js.Value) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	b, err := bytesArg(args, 0, 64<<20)
	if err != nil {
		return nil, err
	}
	r := a.dev.accept(b)
	out := map[string]any{
		"accepted": r.Accepted, "upToDate": r.UpToDate, "verdict": r.Verdict,
		"held": float64(r.Held), "sequence": float64(r.Sequence), "message": r.Message,
	}
	if r.Payload != nil {
		out["payload"] = bytesValue(r.Payload)
	}
	return out, nil
}

func (a *app) info(args []js.Value) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	return infoObject(a.dev.info(), timeArg(args, 0)), nil
}

func infoObject(t trustInfo, now time.Time) map[string]any {
	out := map[string]any{"held": t.Held}
	if t.Held {
		out["sequence"] = float64(t.Sequence)
		out["issuedAt"] = ms(t.IssuedAt)
		out["expiresAt"] = ms(t.ExpiresAt)
		out["keys"] = t.Keys
		out["revoked"] = t.Revoked
		out["staleSeconds"] = max(0, float64(now.Unix()-t.ExpiresAt.Unix()))
	}
	return out
}

// scanFrame scans an RGBA frame, by scan.Quick if quick, and verifies the
// code it holds.
func (a *app) scanFrame(args []js.Value, quick bool) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	if len(args) != 4 {
		return nil, errors.New("web: scanFrame wants rgba, width, height, now")
	}
	w, h := args[1].Int(), args[2].Int()
	if w <= 0 || h <= 0 || w*h > maxFramePixels {
		return nil, fmt.Errorf("web: frame of %d×%d pixels is too large", w, h)
	}
	start := time.Now()
	if args[0].Type() != js.TypeObject || args[0].Get("byteLength").Type() != js.TypeNumber || args[0].Get("byteLength").Int() != 4*w*h {
		return nil, fmt.Errorf("web: scanFrame wants a Uint8Array of %d bytes for %d×%d pixels", 4*w*h, w, h)
	}
	if cap(a.frame) < 4*w*h {
		a.frame = make([]byte, 4*w*h)
	}
	rgba := a.frame[:4*w*h]
	js.CopyBytesToGo(rgba, args[0])
	text, err := a.sc.scanRGBA(rgba, w, h, quick)
	switch {
	case errors.Is(err, scan.ErrNotFound):
		return map[string]any{"found": false, "ms": msSince(start)}, nil
	case errors.Is(err, scan.ErrNotOffcode):
		return map[string]any{"found": false, "notOffcode": true, "ms": msSince(start)}, nil
	case err != nil:
		return nil, err
	}
	out := resultObject(a.dev.verifyText(text, timeArg(args, 3)))
	out["found"] = true
	out["ms"] = msSince(start)
	return out, nil
}

func (a *app) verifyText(args []js.Value) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return nil, errors.New("web: verifyText wants a string")
	}
	return resultObject(a.dev.verifyText(args[0].String(), timeArg(args, 1))), nil
}

func resultObject(r result) map[string]any {
	out := map[string]any{
		"text": r.Text, "verdict": r.Verdict, "message": r.Message, "decoded": r.Decoded,
		"sequence": float64(r.Sequence), "staleSeconds": r.Stale.Seconds(),
	}
	if r.Decoded {
		out["colour"], out["kind"] = r.Colour, r.Kind
		out["issuedAt"], out["expiresAt"] = ms(r.IssuedAt), ms(r.ExpiresAt)
	}
	return out
}

func (a *app) checkID(args []js.Value) (map[string]any, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	if len(args) < 1 || args[0].Type() != js.TypeString {
		return nil, errors.New("web: checkID wants a string")
	}
	r, err := a.dev.checkID(args[0].String(), timeArg(args, 1))
	if err != nil {
		return nil, err
	}
	return map[string]any{"verdict": r.Verdict, "reason": r.Reason, "ms": float64(r.Took.Microseconds()) / 1000}, nil
}

// bytesArg copies args[i], a Uint8Array of at most limit bytes, into Go.
func bytesArg(args []js.Value, i, limit int) ([]byte, error) {
	if len(args) <= i || args[i].Type() != js.TypeObject || args[i].Get("byteLength").Type() != js.TypeNumber {
		return nil, fmt.Errorf("web: argument %d is not a Uint8Array", i+1)
	}
	n := args[i].Get("byteLength").Int()
	if n > limit {
		return nil, fmt.Errorf("web: argument %d has %d bytes, more than %d", i+1, n, limit)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, args[i])
	return b, nil
}

func bytesValue(b []byte) js.Value {
	v := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(v, b)
	return v
}

// timeArg reads args[i] as milliseconds since the epoch (Date.now()); the
// program's own clock when absent.
func timeArg(args []js.Value, i int) time.Time {
	if len(args) <= i || args[i].Type() != js.TypeNumber {
		return time.Now()
	}
	return time.UnixMilli(int64(args[i].Float()))
}

func ms(t time.Time) float64 { return float64(t.UnixMilli()) }

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

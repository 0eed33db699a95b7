//go:build chromium

// End-to-end tests of the browser verifier in Debian's headless Chromium
// with a fake camera playing a picture of a code. Run by .ci/run:
//
//	go test -tags chromium -run Chromium -v ./web
//	go test -tags chromium -run '^$' -bench FrameToVerdict -benchtime 1x ./web
package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/scan"
	"github.com/offcode/offcode/verify"
)

var shots = flag.String("shots", "", "write screenshots of the verdict screens into this directory")

const chromiumPath = "/usr/bin/chromium"

// fixture is a root key, an issuer key, a signed bundle and two codes made
// with the offcode command, in a temporary directory.
type fixture struct {
	bin, dir string
	kinText  string // yellow kinship code
	kinPNG   string
	greenPNG string // green personal code
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir()}
	f.bin = filepath.Join(f.dir, "offcode")
	build := exec.Command("go", "build", "-o", f.bin, "../cmd/offcode")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/offcode: %v\n%s", err, out)
	}
	os.Mkdir(filepath.Join(f.dir, "bundles"), 0o755)
	f.run(t, "root", "keygen", "--key", "root.key", "--pub", "root.pub")
	f.run(t, "keygen", "--key", "issuer.pem", "--trust", "trust.json")
	f.run(t, "bundle", "init", "bundle.draft")
	f.run(t, "bundle", "add-key", "--trust", "trust.json", "--kinds", "personal,kin", "bundle.draft")
	f.run(t, "bundle", "sign", "--key", "root.key", "bundle.draft", "bundles/1.cbor")
	f.kinText = strings.TrimSpace(f.run(t, "issue", "--key", "issuer.pem", "--id", "11010519491231002X", "--colour", "yellow", "--kind", "kin"))
	f.kinPNG, f.greenPNG = filepath.Join(f.dir, "kin.png"), filepath.Join(f.dir, "green.png")
	f.run(t, "issue", "--key", "issuer.pem", "--id", "11010519491231002X", "--colour", "yellow", "--kind", "kin", "--out", "kin.png")
	f.run(t, "issue", "--key", "issuer.pem", "--id", "11010519491231002X", "--colour", "green", "--out", "green.png")
	// The PNG must hold the same code as kinText: read the text back.
	if got := strings.TrimSpace(f.run(t, "scan", "kin.png")); !strings.HasPrefix(got, "OC1:") {
		t.Fatalf("offcode scan kin.png = %q", got)
	}
	f.kinText = strings.TrimSpace(f.run(t, "scan", "kin.png"))
	return f
}

func (f *fixture) run(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(f.bin, args...)
	cmd.Dir = f.dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("offcode %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

// frame returns the code picture at path (a phone card or a bare QR code)
// centred on a white 1280×720 frame, scaled to 680 pixels high with its
// aspect kept, as a camera would see it held up.
func frame(t testing.TB, path string) *image.RGBA {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	src, err := png.Decode(fh)
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	sb := src.Bounds()
	h := 680
	w := sb.Dx() * h / sb.Dy()
	r := image.Rect(640-w/2, 20, 640-w/2+w, 20+h)
	draw.ApproxBiLinear.Scale(dst, r, src, sb, draw.Src, nil)
	return dst
}

// writeY4M writes img as a YUV4MPEG2 clip (4:2:0, BT.601, full range) of
// a few identical frames, which Chromium's fake camera plays in a loop.
func writeY4M(t testing.TB, path string, img *image.RGBA) {
	t.Helper()
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	y := make([]byte, w*h)
	cb := make([]byte, (w/2)*(h/2))
	cr := make([]byte, (w/2)*(h/2))
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			c := img.RGBAAt(i, j)
			yy, u, v := color.RGBToYCbCr(c.R, c.G, c.B)
			y[j*w+i] = yy
			if i%2 == 0 && j%2 == 0 {
				cb[(j/2)*(w/2)+i/2], cr[(j/2)*(w/2)+i/2] = u, v
			}
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for range 3 {
		b.WriteString("FRAME\n")
		b.Write(y)
		b.Write(cb)
		b.Write(cr)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newBrowser starts headless Chromium whose camera plays clip.
func newBrowser(t testing.TB, clip string) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium is needed at %s (apt-get install chromium): %v", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// A headless page is never in front: these keep Chromium from
		// throttling its timers or lowering its priority as it may for a
		// background page. (They did not explain the benchmark's old
		// queue-ms: that was the camera loop's frame ahead in the worker.)
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.WindowSize(540, 960),
	}
	if clip != "" {
		opts = append(opts, chromedp.Flag("use-file-for-fake-video-capture", clip))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute) // the whole test's browser
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// grantCamera lets origin use the camera, so the page starts scanning on load.
func grantCamera(origin string) *browser.SetPermissionParams {
	return browser.SetPermission(&browser.PermissionDescriptor{Name: "camera"}, browser.PermissionSettingGranted).WithOrigin(origin)
}

// verdict is what the verdict element says.
type verdict struct {
	Verdict, Colour, Kind, Text, Trust, Sequence, Sync string
}

// waitVerdict waits up to 60 s for the verdict screen to show want.
func waitVerdict(t *testing.T, ctx context.Context, want string) verdict {
	t.Helper()
	var v verdict
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Run(tctx, chromedp.WaitVisible(fmt.Sprintf(`#verdict[data-verdict="%s"]`, want), chromedp.ByQuery))
	if err2 := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const v = document.getElementById('verdict'), tr = document.getElementById('trust');
			return {Verdict: v.dataset.verdict, Colour: v.dataset.colour, Kind: v.dataset.kind, Text: v.innerText,
				Trust: tr.textContent, Sequence: tr.dataset.sequence, Sync: tr.dataset.sync}; })()`, &v)); err == nil {
		err = err2
	}
	if err != nil {
		var status string
		chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById('status').textContent`, &status))
		t.Fatalf("waiting for verdict %q: %v (page: %+v, status %q)", want, err, v, status)
	}
	return v
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *shots == "" {
		return
	}
	var b []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&b)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*shots, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve runs "offcode serve" with the fixture's bundles and root key.
func (f *fixture) serve(t *testing.T) (*exec.Cmd, string) {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(f.bin, "serve", "--addr", addr, "--key", "issuer.pem", "--bundles", "bundles", "--root", "root.pub")
	cmd.Dir = f.dir
	logf, err := os.Create(filepath.Join(f.dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		logf.Close()
	})
	base := "http://" + addr
	waitFor(t, func() bool {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == 200
	})
	return cmd, base
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

func bundleSequence(base string) string {
	res, err := http.Get(base + "/v1/bundle")
	if err != nil {
		return ""
	}
	res.Body.Close()
	return res.Header.Get("Offcode-Bundle-Sequence")
}

// TestChromiumServe is the acceptance test of the browser verifier: a
// valid yellow kinship code through the fake camera; revoked by the root
// holder and reloaded by the service (SIGHUP), a reload of the page says
// revoked; with the service stopped, a reload still loads and verifies.
func TestChromiumServe(t *testing.T) {
	f := newFixture(t)
	clip := filepath.Join(f.dir, "kin.y4m")
	writeY4M(t, clip, frame(t, f.kinPNG))
	srv, base := f.serve(t)
	ctx := newBrowser(t, clip)
	page := base + "/verifier/"

	err := chromedp.Run(ctx, grantCamera(base), chromedp.Navigate(page),
		chromedp.WaitVisible(`html[data-offline-ready="1"]`, chromedp.ByQuery))
	if err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
	v := waitVerdict(t, ctx, "valid")
	t.Logf("valid: %+v", v)
	if v.Colour != "yellow" || v.Kind != "kin" || !strings.Contains(v.Text, "黄码") || !strings.Contains(v.Text, "亲属码") || v.Sequence != "1" {
		t.Errorf("verdict %+v, want a valid yellow kinship code (黄码, 亲属码) under bundle 1", v)
	}
	screenshot(t, ctx, "yellow-kinship.png")

	// The root holder revokes the code and publishes bundle 2 with a delta.
	f.run(t, "bundle", "revoke", "--code", f.kinText, "bundle.draft")
	f.run(t, "bundle", "sign", "--key", "root.key", "--delta-from", "bundles/1.cbor", "--delta-out", "bundles/1-2.cbor", "bundle.draft", "bundles/2.cbor")
	if err := srv.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return bundleSequence(base) == "2" })

	if err := chromedp.Run(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	v = waitVerdict(t, ctx, "revoked")
	t.Logf("after revocation: %+v", v)
	if v.Colour != "yellow" || v.Kind != "kin" || !strings.Contains(v.Text, "已撤销") || v.Sequence != "2" {
		t.Errorf("verdict %+v, want revoked (已撤销) under bundle 2", v)
	}
	screenshot(t, ctx, "revoked.png")
	// The service stops; the page still loads from its service worker and
	// verifies under the bundle it keeps in IndexedDB.
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("the service still answers after SIGTERM")
	}
	if err := chromedp.Run(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	v = waitVerdict(t, ctx, "revoked")
	t.Logf("offline: %+v", v)
	if v.Sequence != "2" || v.Sync != "offline" {
		t.Errorf("offline verdict %+v, want bundle 2 held and sync offline", v)
	}
}

// TestChromiumStatic serves the files of "offcode verifier --out" with a
// plain static file server (and the signed bundle as the file v1/bundle):
// a green personal code through the fake camera is valid.
func TestChromiumStatic(t *testing.T) {
	f := newFixture(t)
	site := filepath.Join(f.dir, "site")
	f.run(t, "verifier", "--out", "site/verifier", "--root", "root.pub")
	os.MkdirAll(filepath.Join(site, "v1"), 0o755)
	b1, err := os.ReadFile(filepath.Join(f.dir, "bundles", "1.cbor"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "v1", "bundle"), b1, 0o644)
	hs := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer hs.Close()

	clip := filepath.Join(f.dir, "green.y4m")
	writeY4M(t, clip, frame(t, f.greenPNG))
	ctx := newBrowser(t, clip)
	if err := chromedp.Run(ctx, grantCamera(hs.URL), chromedp.Navigate(hs.URL+"/verifier/")); err != nil {
		t.Fatal(err)
	}
	v := waitVerdict(t, ctx, "valid")
	t.Logf("static: %+v", v)
	if v.Colour != "green" || v.Kind != "personal" || !strings.Contains(v.Text, "绿码") || !strings.Contains(v.Text, "个人码") || v.Sequence != "1" {
		t.Errorf("verdict %+v, want a valid green personal code (绿码, 个人码) under bundle 1", v)
	}
	screenshot(t, ctx, "green-personal.png")

	// The camera keeps seeing the same code: it is shown once, with one tone.
	time.Sleep(2 * time.Second)
	var shown, tone string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.body.dataset.shown`, &shown),
		chromedp.Evaluate(`document.body.dataset.tone`, &tone)); err != nil {
		t.Fatal(err)
	}
	if shown != "1" || tone != "valid" {
		t.Errorf("after 2 s more of the same code: shown %s times, tone %q; want once, valid", shown, tone)
	}

	// The ID number of the holder matches; another does not.
	for _, c := range []struct{ id, want string }{{"11010519491231002X", "valid"}, {"110105194912310029", "bad_id"}, {"110105194912310038", "id_mismatch"}} {
		var got string
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := chromedp.Run(cctx,
			chromedp.SetValue("#idnum", c.id, chromedp.ByID),
			chromedp.Click("#idform button", chromedp.ByQuery),
			chromedp.WaitVisible(fmt.Sprintf(`#id-result[data-id-verdict="%s"]`, c.want), chromedp.ByQuery),
			chromedp.Text("#id-result", &got, chromedp.ByID))
		cancel()
		if err != nil {
			t.Fatalf("checking ID number (want %s): %v", c.want, err)
		}
		t.Logf("ID check %s: %s", c.want, got)
	}
}

// BenchmarkFrameToVerdict measures, in one run, the time from a 1280×720
// RGBA frame holding a code to its verdict inside the page (posted to the
// worker, scanned and verified by offcode.wasm, the verdict back) and the
// same frame through the native scanner and verifier (scan.Image and
// verify.Verifier.Verify, what "offcode scan" and "offcode verify --bundle"
// run). Each iteration is one interleaved round of 10 frames each way; the
// metrics are the medians over all rounds and their ratios: page-ms is the
// whole round trip, wasm-ms the part inside offcode.wasm, queue-ms the
// wait from posting a frame until the worker takes it. The page's camera
// loop (Chromium's fake camera) is held while frames are timed, so that
// they do not queue behind its frames. Frames in the page go the camera
// loop's way (scanCamera: scan.Quick, the cheap first attempt only); a
// clean frame is read by that first attempt on either path. nocode-wasm-ms
// is what a frame with no code in view costs the worker, measured on the
// fake camera's own frames through the camera loop's path (offcodeBenchCamera
// calls scanSource with scanCamera, as the loop does): the wait a code
// coming into view may have before its frame is taken. nocode-native-ms is
// that of one of them through scan.Quick natively. It also reports the
// Argon2id ID-number check in the page.
//
//	go test -tags chromium -run '^$' -bench FrameToVerdict -benchtime 5x ./web
func BenchmarkFrameToVerdict(b *testing.B) {
	f := newFixture(b)
	img := frame(b, f.kinPNG)
	b1, hs := benchSite(b, f, img)
	defer hs.Close()
	native := nativeVerdict(b, f, b1, img)

	ctx := newBrowser(b, "")
	if err := chromedp.Run(ctx, chromedp.Navigate(hs.URL+"/verifier/"),
		chromedp.WaitVisible(`html[data-ready="1"]`, chromedp.ByQuery)); err != nil {
		b.Fatal(err)
	}
	benchRound(b, ctx, 5) // warm up the page's compiler
	native()

	const perRound = 10
	var pageMS, wasmMS, queueMS, nativeMS []float64
	b.ResetTimer()
	for range b.N {
		r := benchRound(b, ctx, perRound)
		pageMS, wasmMS, queueMS = append(pageMS, r.Times...), append(wasmMS, r.InWasm...), append(queueMS, r.Queue...)
		for range perRound {
			nativeMS = append(nativeMS, float64(native().Microseconds())/1000)
		}
	}
	b.StopTimer()
	var idMS []float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`offcodeBenchID('11010519491231002X', 10)`, &idMS, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		b.Fatalf("ID check in the page: %v", err)
	}
	camWasm, camNative := benchCamera(b, ctx)
	p, w, n := median(pageMS), median(wasmMS), median(nativeMS)
	b.ReportMetric(p, "page-ms/frame")
	b.ReportMetric(w, "wasm-ms/frame")
	b.ReportMetric(median(queueMS), "queue-ms/frame")
	b.ReportMetric(n, "native-ms/frame")
	b.ReportMetric(p/n, "page/native")
	b.ReportMetric(w/n, "wasm/native")
	b.ReportMetric(median(idMS), "page-argon2id-ms")
	b.ReportMetric(median(camWasm), "nocode-wasm-ms/frame")
	b.ReportMetric(median(camNative), "nocode-native-ms/frame")
	b.ReportMetric(median(camWasm)/median(camNative), "nocode-wasm/native")
	b.ReportMetric(0, "ns/op")
}

// benchSite writes the verifier page, bundle 1 and the frame img under the
// fixture's site directory and serves it; it returns bundle 1.
func benchSite(b *testing.B, f *fixture, img *image.RGBA) ([]byte, *httptest.Server) {
	site := filepath.Join(f.dir, "site")
	f.run(b, "verifier", "--out", "site/verifier", "--root", "root.pub")
	os.MkdirAll(filepath.Join(site, "v1"), 0o755)
	b1, err := os.ReadFile(filepath.Join(f.dir, "bundles", "1.cbor"))
	if err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "v1", "bundle"), b1, 0o644)
	os.WriteFile(filepath.Join(site, "frame.rgba"), img.Pix, 0o644)
	return b1, httptest.NewServer(http.FileServer(http.Dir(site)))
}

// nativeVerdict returns a function that scans img and verifies its code
// natively under bundle b1, as the page does, and returns how long it took.
func nativeVerdict(b *testing.B, f *fixture, b1 []byte, img *image.RGBA) func() time.Duration {
	rootPEM, err := os.ReadFile(filepath.Join(f.dir, "root.pub"))
	if err != nil {
		b.Fatal(err)
	}
	root, err := bundle.ParseRootPublicPEM(rootPEM)
	if err != nil {
		b.Fatal(err)
	}
	held, err := bundle.Open(b1, root)
	if err != nil {
		b.Fatal(err)
	}
	trust, err := verify.FromBundle(held)
	if err != nil {
		b.Fatal(err)
	}
	v := verify.New(trust)
	return func() time.Duration {
		start := time.Now()
		text, err := scan.Image(img)
		if err != nil {
			b.Fatalf("native scan: %v", err)
		}
		if _, err := v.Verify(text, time.Now()); err != nil {
			b.Fatalf("native verify: %v", err)
		}
		return time.Since(start)
	}
}

// pageRound is what offcodeBench reports of n frames: each frame's time in
// the page, in offcode.wasm and waiting in the queue, and the verdict.
type pageRound struct {
	Times, InWasm, Queue []float64
	Verdict              string
}

// benchRound runs n frames through the page. The round runs in the page on
// its own; the test only polls for its result, so that no DevTools call is
// pending while frames are timed.
func benchRound(b *testing.B, ctx context.Context, n int) pageRound {
	start := fmt.Sprintf(`window.benchRound = null; fetch('/frame.rgba').then(r => r.arrayBuffer())
			.then(buf => offcodeBench(new Uint8Array(buf), 1280, 720, %d)).then(r => { window.benchRound = r; }); true`, n)
	var ok bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(start, &ok)); err != nil {
		b.Fatalf("in the page: %v", err)
	}
	var r pageRound
	for deadline := time.Now().Add(2 * time.Minute); r.Verdict == ""; time.Sleep(500 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("in the page: no result after 2 minutes")
		}
		var done bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`window.benchRound !== null`, &done)); err != nil {
			b.Fatalf("in the page: %v", err)
		}
		if done {
			if err := chromedp.Run(ctx, chromedp.Evaluate(`window.benchRound`, &r)); err != nil {
				b.Fatalf("in the page: %v", err)
			}
			if r.Verdict == "" {
				r.Verdict = "none"
			}
		}
	}
	if r.Verdict != "valid" {
		b.Fatalf("in the page: verdict %q, want valid", r.Verdict)
	}
	return r
}

// benchCamera times the live camera (Chromium's fake one, 1280×720, no
// code in view): what the camera loop's frames cost in offcode.wasm, the
// wait a code coming into view may have before its frame is taken, and
// one such frame through scan.Quick natively, in milliseconds.
func benchCamera(b *testing.B, ctx context.Context) (inWasm, native []float64) {
	var cam struct {
		InWasm        []float64
		Width, Height int
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`offcodeBenchCamera(5)`, &cam, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		b.Fatalf("camera frames in the page: %v", err)
	}
	if len(cam.InWasm) == 0 {
		b.Fatal("camera frames in the page: the camera is off")
	}
	b.Logf("camera frames %d×%d, no code: %v ms in offcode.wasm", cam.Width, cam.Height, cam.InWasm)
	var frameB64 string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
		const v = document.getElementById('video'), c = document.createElement('canvas');
		c.width = v.videoWidth; c.height = v.videoHeight;
		const x = c.getContext('2d');
		x.drawImage(v, 0, 0);
		const d = x.getImageData(0, 0, c.width, c.height).data;
		let s = '';
		for (let i = 0; i < d.length; i += 8192) s += String.fromCharCode.apply(null, d.subarray(i, i + 8192));
		return btoa(s);
	})()`, &frameB64)); err != nil {
		b.Fatalf("a camera frame from the page: %v", err)
	}
	camPix, err := base64.StdEncoding.DecodeString(frameB64)
	if err != nil || len(camPix) != 4*cam.Width*cam.Height {
		b.Fatalf("a camera frame from the page: %d bytes for %d×%d (%v)", len(camPix), cam.Width, cam.Height, err)
	}
	camImg := &image.RGBA{Pix: camPix, Stride: 4 * cam.Width, Rect: image.Rect(0, 0, cam.Width, cam.Height)}
	camGrey := image.NewGray(camImg.Rect)
	draw.Draw(camGrey, camGrey.Rect, camImg, image.Point{}, draw.Src)
	for range 5 {
		start := time.Now()
		if _, err := scan.Quick(camGrey.Pix, cam.Width, cam.Height, camGrey.Stride); !errors.Is(err, scan.ErrNotFound) {
			b.Fatalf("native scan of a camera frame: %v, want no code found", err)
		}
		native = append(native, float64(time.Since(start).Microseconds())/1000)
	}
	return cam.InWasm, native
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

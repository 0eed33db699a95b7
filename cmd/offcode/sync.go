package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/readlimit"
)

const syncUsage = `Update a device's trust state from a signed trust bundle (SPEC.md §13.14).

Usage:
    offcode sync --root FILE [--state DIR] [--timeout DURATION] SOURCE

SOURCE is a signed bundle file, a delta bundle file, or the URL of a
signing service's /v1/bundle. From a URL, a device that holds sequence N
asks for ?since=N and gets the delta from N when the service has one, else
the full bundle. The bundle must be signed by the root public key and be
newer than the one held; the state then holds the new full bundle, written
atomically. "offcode verify --state DIR" verifies codes against it.

The state directory defaults to $XDG_STATE_HOME/offcode, or
~/.local/state/offcode when XDG_STATE_HOME is not set.

Options:
    --root FILE          root public key bundles must be signed by
                         (from "offcode root keygen")
    --state DIR          the device's trust state directory
    --timeout DURATION   give up on a URL after this long (default 30s)

Exit status: 0 the state holds the new bundle, or already held it; 2 the
bundle was refused (older than the one held, a bad signature, a delta that
does not apply) or could not be read.

Examples:
    $ offcode sync --root root.pub bundle.cbor
    offcode: sync: now holding bundle 1 (full), expires 2026-12-23 09:00 北京时间

    $ offcode sync --root root.pub https://codes.example.org/v1/bundle
    offcode: sync: now holding bundle 2 (delta since 1), expires 2026-12-24 09:00 北京时间
`

// defaultSyncTimeout bounds fetching a bundle from a URL.
const defaultSyncTimeout = 30 * time.Second

// defaultStateDir returns the per-user trust state directory under the XDG
// state directory.
func (e *env) defaultStateDir() (string, error) {
	if d := e.getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "offcode"), nil
	}
	if h := e.getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".local", "state", "offcode"), nil
	}
	return "", errors.New("no state directory: neither XDG_STATE_HOME nor HOME is set; pass --state DIR")
}

// stateDir returns --state or the default.
func (e *env) stateDir(cmd, flag string) (string, bool) {
	if flag != "" {
		return flag, true
	}
	d, err := e.defaultStateDir()
	if err != nil {
		e.errorf("%s: %v", cmd, err)
		return "", false
	}
	return d, true
}

func runSync(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("sync")
	var rootPath, stateFlag string
	timeout := defaultSyncTimeout
	fset.StringVar(&rootPath, "root", "", "")
	fset.StringVar(&stateFlag, "state", "", "")
	fset.DurationVar(&timeout, "timeout", timeout, "")
	pos, code, ok := e.parseArgs(fset, syncUsage, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		e.errorf("sync: want one SOURCE (a bundle file or a URL), got %d arguments", len(pos))
		e.hintf("run \"offcode help sync\" for its options and examples")
		return exitUsage
	}
	if !e.require("sync", "root", rootPath) {
		return exitUsage
	}
	dir, ok := e.stateDir("sync", stateFlag)
	if !ok {
		return exitUsage
	}
	s, ok := e.openState("sync", dir, rootPath)
	if !ok {
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !e.syncFrom(ctx, "sync", s, pos[0]) {
		return exitUsage
	}
	return exitOK
}

// openState opens the state directory with the root public key.
func (e *env) openState(cmd, dir, rootPath string) (*bundle.State, bool) {
	var roots []ed25519.PublicKey
	if rootPath != "" {
		pub, err := loadRootPub(rootPath)
		if err != nil {
			e.errorf("%s: %v", cmd, err)
			if errors.Is(err, os.ErrNotExist) {
				e.hintf("the root public key comes from: offcode root keygen --key root.key --pub %s", rootPath)
			}
			return nil, false
		}
		roots = append(roots, pub)
	}
	s, err := bundle.OpenState(dir, roots...)
	if err != nil {
		e.errorf("%s: %s", cmd, detailBundle(err))
		return nil, false
	}
	return s, true
}

// syncFrom offers the bundle from source (a file or a URL) to s and reports
// the outcome. It returns false if the bundle was refused or unreadable.
func (e *env) syncFrom(ctx context.Context, cmd string, s *bundle.State, source string) bool {
	var held uint64
	if s.Bundle != nil {
		held = s.Bundle.Sequence
	}
	var data []byte
	var err error
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		data, err = fetchBundle(ctx, source, held)
	} else {
		data, err = readlimit.File(source, bundle.MaxSize)
	}
	if err != nil {
		e.errorf("%s: %v", cmd, err)
		return false
	}
	if data == nil { // 204 from the service
		e.infof("%s: up to date: holding bundle %d", cmd, held)
		return true
	}
	quiet := cmd != "sync" // verify --bundle says only what changed
	err = s.Accept(data)
	var rb *bundle.RollbackError
	switch {
	case errors.As(err, &rb) && rb.Same:
		if !quiet {
			e.infof("%s: already holding bundle %d", cmd, rb.Held)
		}
		return true
	case err != nil:
		claim := offered(data)
		if rb != nil {
			claim = "" // the error names both sequences
		}
		// Accept re-read the state: name what the device holds now.
		e.errorf("%s: %s refused (%s): %s; %sthe device keeps %s", cmd, source, bundle.AcceptanceOf(err), detailBundle(err), claim, heldText(s.Bundle))
		if errors.Is(err, bundle.ErrUnknownRoot) {
			e.hintf("the bundle was signed by another root key than the one given with --root")
		}
		return false
	}
	how := "full"
	if b, err := bundle.Open(data, s.Roots...); err == nil && b.Delta != nil {
		how = fmt.Sprintf("delta since %d", b.Delta.Since)
	}
	e.infof("%s: now holding bundle %d (%s), expires %s", cmd, s.Bundle.Sequence, how, local(s.Bundle.ExpiresAt))
	return true
}

// offered names the sequence an offered bundle claims, signed or not.
func offered(data []byte) string {
	env, err := bundlewire.ParseEnvelope(data)
	if err != nil {
		return "the file is not a bundle; "
	}
	b, err := bundle.ParsePayload(env.Payload)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("the file claims sequence %d, ", b.Sequence)
}

func heldText(b *bundle.Bundle) string {
	if b == nil {
		return "no bundle"
	}
	return fmt.Sprintf("bundle %d", b.Sequence)
}

// fetchBundle gets a bundle from a service's /v1/bundle, asking for the
// delta since held when it holds one (SPEC.md §13.13). It returns nil, nil
// when the service says the device is up to date.
func fetchBundle(ctx context.Context, source string, held uint64) ([]byte, error) {
	u, err := url.Parse(source)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", source, err)
	}
	if held > 0 {
		q := u.Query()
		q.Set("since", strconv.FormatUint(held, 10))
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", bundle.ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching bundle: %w", err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent:
		return nil, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("fetching bundle: %s answered %s", u.Redacted(), resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != bundle.ContentType {
		return nil, fmt.Errorf("fetching bundle: %s answered Content-Type %q, want %q", u.Redacted(), ct, bundle.ContentType)
	}
	data, err := readlimit.Reader(resp.Body, u.Redacted(), bundle.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("fetching bundle: %w", err)
	}
	return data, nil
}

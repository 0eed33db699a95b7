package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bundleRuns numbers the runs of bundleRun, so that each gets its own
// deterministic random stream.
var bundleRuns byte

// bundleRun runs offcode in-process in dir at the time at, with a
// deterministic random stream, and returns the exit code and output.
// Arguments starting with @ name files in dir.
func bundleRun(t *testing.T, dir, at string, args ...string) (int, string, string) {
	t.Helper()
	now, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		now:  func() time.Time { return now },
		rand: rand.NewChaCha8([32]byte{bundleRuns, 'b', 'u', 'n', 'd', 'l', 'e'}),
		getenv: func(k string) string {
			if k == "XDG_STATE_HOME" {
				return filepath.Join(dir, "state") // never the user's own
			}
			return ""
		},
	}
	for i, a := range args {
		if strings.HasPrefix(a, "@") {
			args[i] = filepath.Join(dir, a[1:])
		}
	}
	bundleRuns++
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

// TestBundleEndToEnd walks issue 5's acceptance through the CLI: issue a
// code, verify it with a bundle, revoke it, re-sign, and see it rejected; a
// bundle edited by one byte is refused; stale bundles under both policies;
// a delta; key rotation; a compromised key.
func TestBundleEndToEnd(t *testing.T) {
	dir := t.TempDir()
	const (
		t0    = "2026-11-23T08:00:00+08:00"
		later = "2026-11-23T09:00:00+08:00"
		id    = "11010519491231002X"
	)
	must := func(want int, at string, args ...string) string {
		t.Helper()
		code, out, errOut := bundleRun(t, dir, at, args...)
		if code != want {
			t.Fatalf("offcode %s = exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out + errOut
	}
	must(0, t0, "root", "keygen", "--key", "@root.key", "--pub", "@root.pub")
	must(0, t0, "keygen", "--key", "@issuer.pem", "--trust", "@trust.json", "--issuer", "Xi'an CDC")
	must(0, t0, "bundle", "init", "@draft")
	must(0, t0, "bundle", "add-key", "--trust", "@trust.json", "@draft")
	must(0, t0, "bundle", "sign", "--key", "@root.key", "@draft", "@b1.cbor")
	code := strings.TrimSpace(must(0, later, "issue", "--key", "@issuer.pem", "--id", id, "--colour", "green"))

	if out := must(0, later, "verify", "--bundle", "@b1.cbor", "--root", "@root.pub", code); !strings.HasPrefix(out, "VALID  green") {
		t.Fatalf("verify with bundle 1 printed %q, want VALID", out)
	}
	must(0, later, "bundle", "revoke", "--code", code, "@draft")
	must(0, later, "bundle", "sign", "--key", "@root.key", "--delta-from", "@b1.cbor", "--delta-out", "@d12.cbor", "@draft", "@b2.cbor")
	if out := must(1, later, "verify", "--bundle", "@b2.cbor", "--root", "@root.pub", code); !strings.HasPrefix(out, "REVOKED  green") {
		t.Fatalf("verify with bundle 2 printed %q, want REVOKED", out)
	}
	if out := must(1, later, "verify", "--json", "--bundle", "@b2.cbor", "--root", "@root.pub", code); !strings.Contains(out, `"verdict":"revoked"`) || !strings.Contains(out, `"bundle_sequence":2`) {
		t.Fatalf("verify --json with bundle 2 printed %q", out)
	}

	// Every single-byte edit of the signed bundle is refused.
	data, err := os.ReadFile(filepath.Join(dir, "b2.cbor"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		m := bytes.Clone(data)
		m[i] ^= 0x01
		if err := os.WriteFile(filepath.Join(dir, "edited.cbor"), m, 0o644); err != nil {
			t.Fatal(err)
		}
		c, out, errOut := bundleRun(t, dir, later, "verify", "--bundle", "@edited.cbor", "--root", "@root.pub", code)
		if c != exitUsage || !strings.Contains(errOut, "refused") {
			t.Fatalf("verify with byte %d of the bundle edited = exit %d, %q %q; want 2 and refused", i, c, out, errOut)
		}
	}

	out := must(0, later, "bundle", "show", "--root", "@root.pub", "@b2.cbor")
	for _, want := range []string{"signature   OK", "sequence    2", "revoked     1 code, 0 people", "active", "Xi'an CDC"} {
		if !strings.Contains(out, want) {
			t.Errorf("bundle show printed %q, want it to contain %q", out, want)
		}
	}
	if out := must(0, later, "bundle", "show", "--root", "@root.pub", "@d12.cbor"); !strings.Contains(out, "delta       since 1: +1/-0 codes") {
		t.Errorf("bundle show of the delta printed %q", out)
	}
	if out := must(0, later, "bundle", "diff", "@b1.cbor", "@b2.cbor"); !strings.Contains(out, "revoked codes   +1 -0 (now 1)") {
		t.Errorf("bundle diff printed %q", out)
	}
	// With --root, anything but a valid signed bundle fails (issue 14).
	for _, f := range []string{"@draft", "@trust.json", "@edited.cbor"} {
		if out := must(1, later, "bundle", "show", "--root", "@root.pub", f); !strings.Contains(out, "offcode: error: bundle show: ") {
			t.Errorf("bundle show --root %s printed %q, want an error", f, out)
		}
	}
	if out := must(2, later, "bundle", "show", "--root", "@trust.json", "@b2.cbor"); !strings.Contains(out, "PUBLIC KEY") {
		t.Errorf("bundle show --root with a JWK Set printed %q, want a complaint about the PEM block", out)
	}

	bundleStaleAndRotation(t, dir, must)
}

// bundleStaleAndRotation continues TestBundleEndToEnd in dir, which holds
// bundle 2 and the draft after it: stale bundles under each policy, key
// rotation, a compromised key and a revoked person.
func bundleStaleAndRotation(t *testing.T, dir string, must func(int, string, ...string) string) {
	const (
		later = "2026-11-23T09:00:00+08:00"
		id    = "11010519491231002X"
	)
	// Stale: bundle 2 expires 30 days after signing.
	stale := "2026-12-24T08:00:00+08:00"
	fresh := strings.TrimSpace(must(0, "2026-12-24T07:00:00+08:00", "issue", "--key", "@issuer.pem", "--id", id, "--colour", "yellow"))
	if out := must(0, stale, "verify", "--bundle", "@b2.cbor", "--root", "@root.pub", fresh); !strings.Contains(out, "VALID  yellow") || !strings.Contains(out, "STALE TRUST DATA") {
		t.Errorf("verify under a stale bundle printed %q, want VALID and STALE TRUST DATA", out)
	}
	if out := must(1, stale, "verify", "--refuse-stale", "--bundle", "@b2.cbor", "--root", "@root.pub", fresh); !strings.HasPrefix(out, "STALE_TRUST") {
		t.Errorf("verify --refuse-stale under a stale bundle printed %q, want STALE_TRUST", out)
	}
	// Past the default grace of 72h: refused unless the operator says so.
	staler := "2026-12-26T10:00:00+08:00" // 3d 1h after the expiry
	if out := must(1, staler, "verify", "--bundle", "@b2.cbor", "--root", "@root.pub", fresh); !strings.HasPrefix(out, "STALE_TRUST") || !strings.Contains(out, "bundle 2 expired 3d 1h ago") {
		t.Errorf("verify past the grace printed %q, want STALE_TRUST saying how stale", out)
	}
	if out := must(0, staler, "verify", "--allow-stale", "--bundle", "@b2.cbor", "--root", "@root.pub", fresh); !strings.HasPrefix(out, "VALID") || !strings.Contains(out, "STALE TRUST DATA: bundle 2 expired 3d 1h ago") {
		t.Errorf("verify --allow-stale past the grace printed %q", out)
	}
	if out := must(0, staler, "verify", "--stale-grace", "96h", "--json", "--bundle", "@b2.cbor", "--root", "@root.pub", fresh); !strings.Contains(out, `"stale_seconds":262800`) {
		t.Errorf("verify --stale-grace 96h --json printed %q", out)
	}

	// Rotation: a second key from 10:00; the first retired at 10:00.
	must(0, later, "keygen", "--key", "@issuer2.pem", "--trust", "@trust2.json")
	must(0, later, "bundle", "add-key", "--trust", "@trust2.json", "--not-before", "2026-11-23T10:00:00+08:00", "@draft")
	c1 := strings.TrimSpace(must(0, "2026-11-23T09:30:00+08:00", "issue", "--key", "@issuer.pem", "--id", id, "--colour", "green"))
	c2 := strings.TrimSpace(must(0, "2026-11-23T10:30:00+08:00", "issue", "--key", "@issuer2.pem", "--id", id, "--colour", "green"))
	c3 := strings.TrimSpace(must(0, "2026-11-23T10:30:00+08:00", "issue", "--key", "@issuer.pem", "--id", id, "--colour", "green"))
	oldKid := kidOfTrust(t, filepath.Join(dir, "trust.json"))
	must(0, later, "bundle", "remove-key", "--kid", oldKid, "--at", "2026-11-23T10:00:00+08:00", "@draft")
	must(0, later, "bundle", "sign", "--key", "@root.key", "@draft", "@b3.cbor")
	at := "2026-11-23T11:00:00+08:00"
	must(0, at, "verify", "--bundle", "@b3.cbor", "--root", "@root.pub", c1)
	must(0, at, "verify", "--bundle", "@b3.cbor", "--root", "@root.pub", c2)
	if out := must(1, at, "verify", "--bundle", "@b3.cbor", "--root", "@root.pub", c3); !strings.HasPrefix(out, "KEY_NOT_VALID") {
		t.Errorf("old key's code after retirement: %q, want KEY_NOT_VALID", out)
	}
	// Compromise of the old key: even c1 is refused.
	must(0, later, "bundle", "remove-key", "--kid", oldKid, "--compromised", "@draft")
	must(0, later, "bundle", "sign", "--key", "@root.key", "@draft", "@b4.cbor")
	if out := must(1, at, "verify", "--bundle", "@b4.cbor", "--root", "@root.pub", c1); !strings.HasPrefix(out, "KEY_REVOKED") {
		t.Errorf("compromised key's code: %q, want KEY_REVOKED", out)
	}
	// A person revoked before 11:00: c2 (10:30) is refused.
	must(0, at, "bundle", "revoke", "--code", c2, "--person", "@draft")
	must(0, at, "bundle", "sign", "--key", "@root.key", "@draft", "@b5.cbor")
	if out := must(1, at, "verify", "--bundle", "@b5.cbor", "--root", "@root.pub", c2); !strings.HasPrefix(out, "IDENTITY_REVOKED") {
		t.Errorf("revoked person's code: %q, want IDENTITY_REVOKED", out)
	}
	if out := must(0, at, "bundle", "diff", "@b3.cbor", "@b5.cbor"); !strings.Contains(out, "~ key "+oldKid) || !strings.Contains(out, "revoked people  +1 -0") {
		t.Errorf("bundle diff 3 5 printed %q", out)
	}
}

// kidOfTrust returns the kid of the only key of a JWK Set file.
func kidOfTrust(t *testing.T, path string) string {
	t.Helper()
	_, keys, err := loadTrust(path)
	if err != nil || len(keys) != 1 {
		t.Fatalf("loadTrust(%s) = %v, %v", path, keys, err)
	}
	return keys[0].KeyID.String()
}

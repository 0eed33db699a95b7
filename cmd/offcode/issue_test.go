package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestIssueWindowWarning runs issue in-process with the clock at fixtureAt:
// --at inside the validity window is silent, outside it warns on stderr.
func TestIssueWindowWarning(t *testing.T) {
	dir := t.TempDir()
	key, trust := filepath.Join(dir, "k.pem"), filepath.Join(dir, "t.json")
	e, _, stderr := testEnv("", seeded(1))
	if code := run(context.Background(), e, []string{"keygen", "--key", key, "--trust", trust}); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	for _, c := range []struct{ at, want string }{
		{fixtureAt, ""},
		{"2026-11-17T08:00:00+08:00", ""}, // 6 days ago: still valid
		{"2026-11-23T08:04:00+08:00", ""}, // within the verifiers' 5 minute skew
		{"2026-11-16T08:00:00+08:00", "offcode: warning: issue: this code expired at 2026-11-23 08:00 Beijing time (UTC+8), 0s ago: --at is more than 7 days in the past\n"},
		{"2026-11-23T09:00:00+08:00", "offcode: warning: issue: this code is not valid until 2026-11-23 09:00 Beijing time (UTC+8), 1h from now: --at is in the future\n"},
	} {
		e, stdout, stderr := testEnv("", seeded(2))
		code := run(context.Background(), e, []string{"issue", "--key", key, "--id", fixtureID, "--colour", "green", "--at", c.at})
		if code != exitOK || !strings.HasPrefix(stdout.String(), "OC1:") || stderr.String() != c.want {
			t.Errorf("issue --at %s = exit %d, stderr %q; want 0 and %q", c.at, code, stderr, c.want)
		}
	}
}

func TestIsRelease(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.1.0":                             true,
		"v1.2.3-rc.1":                        true,
		"(devel)":                            false,
		"":                                   false,
		"v0.0.0-20261130160810-93fb7d5abcde": false,
		"v0.0.0-20261130160810-93fb7d5abcde+dirty": false,
		"v0.1.1-0.20261130160810-93fb7d5abcde":     false,
		"v0.2.0-pre.0.20261130160810-93fb7d5abcde": false,
	} {
		if got := isRelease(v); got != want {
			t.Errorf("isRelease(%q) = %v, want %v", v, got, want)
		}
	}
}

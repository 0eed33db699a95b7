//go:build wasmcheck

// The committed static/offcode.wasm and static/wasm_exec.js must be what the
// toolchain builds from the tree. Rebuilding takes a minute or more on a
// cold cache, so .ci/run runs this explicitly:
//
//	go test -tags wasmcheck -run Wasm ./web
//	go test -tags wasmcheck -run Wasm ./web -update   # rewrite them
package web

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite static/offcode.wasm and static/wasm_exec.js")

// buildArgs are the fixed flags of the build; keep them in step with the
// go:generate line in web.go.
var buildArgs = []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

func TestWasmUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "offcode.wasm")
	cmd := exec.Command("go", append(buildArgs, "-o", out, "./wasm")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWASM=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build ./wasm: %v\n%s", err, b)
	}
	check(t, out, "static/offcode.wasm")
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	check(t, filepath.Join(string(bytes.TrimSpace(goroot)), "lib", "wasm", "wasm_exec.js"), "static/wasm_exec.js")
}

func check(t *testing.T, built, committed string) {
	t.Helper()
	want, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err == nil && bytes.Equal(got, want) {
		return
	}
	if *update {
		if err := os.WriteFile(committed, want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s (%d bytes)", committed, len(want))
		return
	}
	t.Errorf("%s (%d bytes) is not what the tree builds (%d bytes from %s); run: go test -tags wasmcheck -run Wasm ./web -update",
		committed, len(got), len(want), built)
}

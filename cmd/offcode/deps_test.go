package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryDeps checks the role split of internal/ (internal/README.md):
// the offcode binary links no generator and no test helper. It also keeps
// out packages whose initialisation every run of the binary would pay
// (offcode scan of one picture included) for a feature that needs none of
// it: client_golang and what it pulled in cost ~1.3 ms of every start
// (internal/metrics replaces it).
func TestBinaryDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	n := 0
	for _, p := range strings.Fields(string(out)) {
		for _, heavy := range []string{"github.com/prometheus/", "google.golang.org/protobuf/", "expvar", "runtime/metrics"} {
			if strings.HasPrefix(p, heavy) {
				t.Errorf("the offcode binary links %s, which costs every start of the binary", p)
			}
		}
		if !strings.HasPrefix(p, "github.com/offcode/offcode/") {
			continue
		}
		n++
		for _, bad := range []string{"/internal/tools/", "/internal/testkit/", "/testvectors"} {
			if strings.Contains(p, bad) {
				t.Errorf("the offcode binary links %s", p)
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list -deps found %d offcode packages, want the whole binary", n)
	}
}

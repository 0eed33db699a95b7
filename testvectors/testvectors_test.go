package testvectors_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/tools/vectorgen/gen"
	"github.com/offcode/offcode/testvectors"
)

func TestAll(t *testing.T) {
	vs, err := testvectors.Load[testvectors.Vector]()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < testvectors.MinCount {
		t.Fatalf("All() = %d vectors, want at least %d", len(vs), testvectors.MinCount)
	}
	if !sort.SliceIsSorted(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name }) {
		t.Errorf("All() is not sorted by name")
	}
	for i := 1; i < len(vs); i++ {
		if vs[i].Name == vs[i-1].Name {
			t.Errorf("All() holds %s twice", vs[i].Name)
		}
	}
}

// vectorSets are the three generated folders and their generators.
var vectorSets = []struct {
	dir string
	gen func() (map[string][]byte, error)
}{{".", gen.Generate}, {gen.IDsDir, gen.GenerateIDs}, {gen.TrustDir, gen.GenerateTrust}}

// TestGenerated regenerates the vectors and compares them byte for byte
// with the committed files: they are never edited by hand, and a change to
// the generator must come with regenerated files (go generate ./testvectors).
func TestGenerated(t *testing.T) {
	for _, set := range vectorSets {
		want, err := set.gen()
		if err != nil {
			t.Fatal(err)
		}
		on, err := filepath.Glob(filepath.Join(set.dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		onDisk := make(map[string]bool)
		for _, p := range on {
			name := filepath.Base(p)
			onDisk[name] = true
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[name]
			switch {
			case !ok:
				t.Errorf("%s is committed but the generator does not write it (run go generate ./testvectors)", p)
			case !bytes.Equal(b, w):
				t.Errorf("%s differs from the generator's output (run go generate ./testvectors)", p)
			}
		}
		for name := range want {
			if !onDisk[name] {
				t.Errorf("%s/%s is generated but not committed (run go generate ./testvectors)", set.dir, name)
			}
		}
		// Generating again gives the same bytes.
		again, err := set.gen()
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			if !bytes.Equal(again[name], b) {
				t.Errorf("generator output for %s/%s differs between two runs", set.dir, name)
			}
		}
	}
}

// TestGeneratedIntoDir runs the generator command's logic (gen.WriteDir)
// into a temporary directory holding a stale vector, as go generate does,
// and compares the result with the committed files.
func TestGeneratedIntoDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stale_vector.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := gen.WriteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, set := range vectorSets {
		committed, err := filepath.Glob(filepath.Join(set.dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := filepath.Glob(filepath.Join(dir, set.dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(committed) {
			t.Errorf("WriteDir wrote %d files to %s, %d are committed", len(got), set.dir, len(committed))
		}
		total += len(got)
		for _, p := range committed {
			want, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				t.Errorf("WriteDir did not write %s: %v", p, err)
				continue
			}
			if !bytes.Equal(b, want) {
				t.Errorf("WriteDir wrote %s differently from the committed file", p)
			}
		}
	}
	if total != n {
		t.Errorf("WriteDir reports %d vectors, the directories hold %d", n, total)
	}
	vs, err := testvectors.Load[testvectors.Vector]()
	if err != nil {
		t.Fatal(err)
	}
	ids, err := testvectors.Load[testvectors.IDVector]()
	if err != nil {
		t.Fatal(err)
	}
	trust, err := testvectors.Load[testvectors.TrustVector]()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < testvectors.MinCount || len(ids) < testvectors.MinIDCount || len(trust) < testvectors.MinTrustCount {
		t.Errorf("All, AllIDs, AllTrust = %d, %d, %d vectors, want at least %d, %d, %d",
			len(vs), len(ids), len(trust), testvectors.MinCount, testvectors.MinIDCount, testvectors.MinTrustCount)
	}
	if len(vs)+len(ids)+len(trust) != n {
		t.Errorf("the loaders parse %d vectors, WriteDir wrote %d", len(vs)+len(ids)+len(trust), n)
	}
}

func TestVectorStages(t *testing.T) {
	vs, err := testvectors.Load[testvectors.Vector]()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Payload != nil && len(v.Payload) == 0 || v.COSE != nil && len(v.COSE) == 0 {
			t.Errorf("%s: an empty stage is not nil", v.Name)
		}
		if v.Payload == nil && v.PayloadDiag != "" {
			t.Errorf("%s: payload_diag without payload", v.Name)
		}
		if v.Skew < 0 || v.Skew%time.Second != 0 {
			t.Errorf("%s: Skew = %v, want whole non-negative seconds", v.Name, v.Skew)
		}
	}
}

// TestParseRejects changes one member of a good vector at a time.
func TestParseRejects(t *testing.T) {
	good, err := os.ReadFile("valid_id_match.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testvectors.Parse(good); err != nil {
		t.Fatalf("Parse(valid_id_match.json) = %v", err)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
	}{
		{"unknown top-level member", func(m map[string]any) { m["expect"] = "valid" }},
		{"unknown stage", func(m map[string]any) { obj(m, "stages")["qr_png"] = "" }},
		{"unknown context member", func(m map[string]any) { obj(m, "context")["clock"] = "" }},
		{"unknown expected member", func(m map[string]any) { obj(m, "expected")["qr"] = true }},
		{"missing name", func(m map[string]any) { delete(m, "name") }},
		{"missing payload_diag", func(m map[string]any) { delete(obj(m, "stages"), "payload_diag") }},
		{"missing now_unix", func(m map[string]any) { delete(obj(m, "context"), "now_unix") }},
		{"missing signature", func(m map[string]any) { delete(obj(m, "expected"), "signature") }},
		{"name not snake_case", func(m map[string]any) { m["name"] = "Valid-ID" }},
		{"empty description", func(m map[string]any) { m["description"] = "" }},
		{"empty text", func(m map[string]any) { obj(m, "stages")["text"] = "" }},
		{"upper-case hex", func(m map[string]any) {
			s := obj(m, "stages")
			s["cose_hex"] = strings.ToUpper(s["cose_hex"].(string))
		}},
		{"odd hex", func(m map[string]any) { obj(m, "stages")["payload_hex"] = "a" }},
		{"now not RFC 3339", func(m map[string]any) { obj(m, "context")["now"] = "2026-11-01 08:00:00" }},
		{"now_unix disagrees", func(m map[string]any) { obj(m, "context")["now_unix"] = 1 }},
		{"negative skew", func(m map[string]any) { obj(m, "context")["skew_seconds"] = -1 }},
		{"trust not an object", func(m map[string]any) { obj(m, "context")["trust"] = []any{} }},
		{"empty presented_id", func(m map[string]any) { obj(m, "context")["presented_id"] = "" }},
		{"decode null", func(m map[string]any) { obj(m, "expected")["decode"] = nil }},
		{"window null after decode", func(m map[string]any) { obj(m, "expected")["window"] = nil }},
		{"identity null with presented ID", func(m map[string]any) { obj(m, "expected")["identity"] = nil }},
		{"signature set after failed decode", func(m map[string]any) {
			e := obj(m, "expected")
			e["decode"], e["window"], e["identity"], e["verdict"] = false, nil, nil, "malformed"
		}},
		{"valid verdict with a failed step", func(m map[string]any) { obj(m, "expected")["identity"] = false }},
		{"failure verdict with every step passing", func(m map[string]any) { obj(m, "expected")["verdict"] = "expired" }},
		{"verdict not snake_case", func(m map[string]any) { obj(m, "expected")["verdict"] = "Valid" }},
		{"verdict not in SPEC.md §8.2", func(m map[string]any) {
			e := obj(m, "expected")
			e["decode"], e["signature"], e["window"], e["identity"], e["verdict"] = false, nil, nil, nil, "bad_cbor"
		}},
	}
	for _, tt := range tests {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		tt.change(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := testvectors.Parse(b); err == nil {
			t.Errorf("Parse(%s) succeeded, want an error", tt.name)
		}
	}
	if _, err := testvectors.Parse(append(append([]byte(nil), good...), "{}"...)); err == nil {
		t.Errorf("Parse(two objects) succeeded, want an error")
	}
}

func obj(m map[string]any, k string) map[string]any { return m[k].(map[string]any) }

// TestREADMEListsEveryVector keeps the index in README.md true: every vector
// appears once, in the row of its verdict, and nothing else does.
func TestREADMEListsEveryVector(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, index, ok := strings.Cut(string(b), "\n## The vectors\n")
	if !ok {
		t.Fatal("README.md has no \"## The vectors\" section")
	}
	index, _, _ = strings.Cut(index, "\n## ")
	listed := make(map[string]string) // name -> verdict row
	for _, line := range strings.Split(index, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		verdict := strings.Trim(strings.TrimSpace(cells[1]), "`")
		for _, n := range strings.Split(cells[2], ",") {
			n = strings.Trim(strings.TrimSpace(n), "`")
			if _, dup := listed[n]; dup {
				t.Errorf("README.md lists %s twice", n)
			}
			listed[n] = verdict
		}
	}
	vs, err := testvectors.Load[testvectors.Vector]()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		switch row, ok := listed[v.Name]; {
		case !ok:
			t.Errorf("README.md does not list vector %s", v.Name)
		case row != v.Expected.Verdict:
			t.Errorf("README.md lists %s under %s, its verdict is %s", v.Name, row, v.Expected.Verdict)
		}
		delete(listed, v.Name)
	}
	for n := range listed {
		t.Errorf("README.md lists %s, which is not a vector", n)
	}
}

func TestAllBundles(t *testing.T) {
	vs, err := testvectors.Load[testvectors.BundleVector]()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		seen[v.Acceptance] = true
		if v.Code != nil {
			seen[v.Verdict] = true
		}
	}
	for _, want := range testvectors.BundleAcceptance {
		if !seen[want] {
			t.Errorf("no bundle vector has acceptance %s", want)
		}
	}
}

// TestNoTestingImport keeps package testvectors usable outside tests.
func TestNoTestingImport(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "\"testing\"") {
			t.Errorf("%s imports testing", name)
		}
	}
}

package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

// vectorDir holds the trust-bundle vectors (SPEC.md §13.11); minVectors is
// how many there are at least, so that a lost file fails the tests.
const (
	vectorDir  = "../testvectors/bundles"
	minVectors = 70
)

type vectorFile struct {
	name string
	raw  []byte
	f    gen.File
}

// loadVectors reads every vector, strictly: an unknown field fails.
func loadVectors(t testing.TB) []vectorFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < minVectors {
		t.Fatalf("found %d vectors in %s, want at least %d", len(paths), vectorDir, minVectors)
	}
	var out []vectorFile
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v := vectorFile{name: filepath.Base(p), raw: raw}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v.f); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		out = append(out, v)
	}
	return out
}

func unhex(t *testing.T, name, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: bad hex: %v", name, err)
	}
	return b
}

func TestVectorsRegenerate(t *testing.T) {
	want, err := gen.Generate()
	if err != nil {
		t.Fatal(err)
	}
	got := loadVectors(t)
	if len(got) != len(want) {
		t.Fatalf("%s holds %d vectors, the generator makes %d; run: go run ./internal/tools/bundlegen", vectorDir, len(got), len(want))
	}
	for _, v := range got {
		if !bytes.Equal(v.raw, want[v.name]) {
			t.Errorf("%s differs from what the generator makes; run: go run ./internal/tools/bundlegen", v.name)
		}
	}
}

func TestVectors(t *testing.T) {
	acceptances := map[string]bool{}
	for _, v := range loadVectors(t) {
		t.Run(v.f.Name, func(t *testing.T) {
			f := &v.f
			if f.Name+".json" != v.name {
				t.Fatalf("vector in %s is named %q", v.name, f.Name)
			}
			if !slices.Contains(bundle.Acceptances(), bundle.Acceptance(f.Expected.Bundle)) {
				t.Fatalf("expected.bundle %q is not an acceptance verdict", f.Expected.Bundle)
			}
			acceptances[f.Expected.Bundle] = true
			var s bundle.State
			for _, r := range f.Context.RootPublicKeys {
				s.Roots = append(s.Roots, ed25519.PublicKey(unhex(t, f.Name, r)))
			}
			if f.Context.HeldPayloadHex != "" {
				held, err := bundle.ParsePayload(unhex(t, f.Name, f.Context.HeldPayloadHex))
				if err != nil {
					t.Fatalf("held payload: %v", err)
				}
				if held.Sequence != f.Context.HeldSequence {
					t.Fatalf("held payload has sequence %d, held_sequence says %d", held.Sequence, f.Context.HeldSequence)
				}
				s.Bundle = held
			}
			data := unhex(t, f.Name, f.Stages.BundleHex)
			err := s.Accept(data)
			if got := bundle.AcceptanceOf(err); string(got) != f.Expected.Bundle {
				t.Fatalf("Accept(%s) = %v (%s), want %s", f.Name, got, err, f.Expected.Bundle)
			}
			var seq uint64
			if s.Bundle != nil {
				seq = s.Bundle.Sequence
			}
			if seq != f.Expected.Sequence {
				t.Fatalf("after Accept(%s) the device holds sequence %d, want %d", f.Name, seq, f.Expected.Sequence)
			}
			if err == nil {
				checkReencode(t, f, data)
			}
			// The code, if any, is verified by package verify's tests
			// (TestBundleVectors), which hold the one verifier.
		})
	}
	for _, a := range bundle.Acceptances() {
		if !acceptances[string(a)] {
			t.Errorf("no vector expects acceptance %q", a)
		}
	}
}

// checkReencode checks the stages of an accepted vector: the payload is
// the envelope's, and it decodes and re-encodes to itself.
func checkReencode(t *testing.T, f *gen.File, data []byte) {
	t.Helper()
	e, err := bundle.ParseEnvelope(data)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(e.Payload) != f.Stages.PayloadHex {
		t.Fatalf("payload_hex is not the envelope's payload")
	}
	b, err := bundle.ParsePayload(e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	re, err := bundle.MarshalPayload(b)
	if err != nil || !bytes.Equal(re, e.Payload) {
		t.Fatalf("MarshalPayload(ParsePayload(%s)) differs (%v)", f.Name, err)
	}
}

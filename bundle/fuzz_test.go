package bundle_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/format"
)

// FuzzDecodeBundle decodes arbitrary bytes as a signed bundle. It must not
// panic, and whatever decodes must re-encode to the same bytes: envelope and
// payload each have exactly one valid encoding. It is seeded with every
// vector's bundle and payload (SPEC.md §13.11).
func FuzzDecodeBundle(f *testing.F) {
	vs := loadVectors(f)
	for _, v := range vs {
		b, err := hex.DecodeString(v.f.Stages.BundleHex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if p, err := hex.DecodeString(v.f.Stages.PayloadHex); err == nil && len(p) > 0 {
			f.Add(p)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if b, err := bundle.ParsePayload(data); err == nil {
			re, err := bundle.MarshalPayload(b)
			if err != nil {
				t.Fatalf("MarshalPayload of a parsed payload: %v", err)
			}
			if !bytes.Equal(re, data) {
				t.Fatalf("payload re-encodes to %x, want %x", re, data)
			}
		}
		e, err := bundle.ParseEnvelope(data)
		if err != nil {
			return
		}
		re := format.AppendMessage(nil, e.Protected, e.Payload, e.Signature)
		if !bytes.Equal(re, data) {
			t.Fatalf("envelope re-encodes to %x, want %x", re, data)
		}
	})
}

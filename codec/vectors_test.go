package codec_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// decodeVerdicts maps the verdicts of the decoding steps (SPEC.md §8 steps
// 1-6) onto codec's sentinels. codec cannot import verify, whose VerdictOf
// does the same for the whole pipeline.
var decodeVerdicts = map[string]error{
	"too_large":         codec.ErrTooLarge,
	"bad_prefix":        codec.ErrPrefix,
	"bad_base45":        codec.ErrBase45,
	"malformed":         codec.ErrMalformed,
	"trailing_bytes":    codec.ErrTrailingBytes,
	"indefinite_length": codec.ErrIndefinite,
	"duplicate_key":     codec.ErrDuplicateKey,
	"noncanonical_cbor": codec.ErrNonCanonical,
	"bad_tag":           codec.ErrTag,
	"unsupported_alg":   codec.ErrAlgorithm,
	"missing_kid":       codec.ErrMissingKeyID,
	"bad_header":        codec.ErrHeader,
	"missing_claim":     codec.ErrMissingClaim,
	"unknown_claim":     codec.ErrUnknownClaim,
	"bad_claim":         codec.ErrClaim,
}

// TestVectors decodes every conformance vector's text (SPEC.md §10): it
// must decode exactly when the vector says so, fail with the sentinel of the
// expected verdict otherwise, and a decoded code must re-encode to the same
// bytes at every stage.
func TestVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.Vector](t)
	seen := make(map[string]bool)
	for _, v := range vs {
		seen[v.Expected.Verdict] = true
		t.Run(v.Name, func(t *testing.T) { checkDecode(t, v) })
	}
	for verdict := range decodeVerdicts {
		if !seen[verdict] {
			t.Errorf("no vector has verdict %q", verdict)
		}
	}
}

func checkDecode(t *testing.T, v testvectors.Vector) {
	wantDecode := *v.Expected.Decode
	c, err := codec.Decode(v.Text)
	if (err == nil) != wantDecode {
		t.Fatalf("Decode(%s) error = %v, want decode %v (verdict %s)", v.Name, err, wantDecode, v.Expected.Verdict)
	}
	cose, payload := v.COSE, v.Payload

	// Where the text's prefix and Base45 are sound, it carries cose_hex.
	if body, ok := strings.CutPrefix(v.Text, codec.Prefix); ok && cose != nil {
		if b, err := format.DecodeBase45(body); err == nil && !bytes.Equal(b, cose) {
			t.Errorf("%s: text carries %x, want cose_hex %x", v.Name, b, cose)
		}
	}
	// Where the envelope parses, it carries payload_hex.
	if m, err := codec.ParseMessage(cose); err == nil && !bytes.Equal(m.Payload, payload) {
		t.Errorf("%s: COSE_Sign1 carries payload %x, want payload_hex %x", v.Name, m.Payload, payload)
	}

	if !wantDecode {
		want, ok := decodeVerdicts[v.Expected.Verdict]
		if !ok {
			t.Fatalf("%s: decode is expected to fail, but verdict %q is not a decoding verdict", v.Name, v.Expected.Verdict)
		}
		if !errors.Is(err, want) {
			t.Errorf("Decode(%s) = %v, want %v", v.Name, err, want)
		}
		for verdict, other := range decodeVerdicts {
			if verdict != v.Expected.Verdict && errors.Is(err, other) && !errors.Is(want, other) {
				t.Errorf("Decode(%s) = %v, which also wraps the sentinel of %q", v.Name, err, verdict)
			}
		}
		return
	}

	// A decoded code re-encodes byte for byte at every stage.
	if got := codec.Encode(cose); got != v.Text {
		t.Errorf("Encode(%s cose) = %q, want %q", v.Name, got, v.Text)
	}
	m, err := codec.ParseMessage(cose)
	if err != nil {
		t.Fatalf("ParseMessage(%s) = %v", v.Name, err)
	}
	if got := codec.MarshalMessage(m); !bytes.Equal(got, cose) {
		t.Errorf("MarshalMessage(ParseMessage(%s)) = %x, want %x", v.Name, got, cose)
	}
	if !bytes.Equal(c.Payload, payload) || !bytes.Equal(c.Protected, m.Protected) || c.KeyID != m.KeyID {
		t.Errorf("Decode(%s) and ParseMessage disagree", v.Name)
	}
	claims, err := codec.UnmarshalClaims(payload)
	if err != nil {
		t.Fatalf("UnmarshalClaims(%s) = %v", v.Name, err)
	}
	if claims != c.Claims {
		t.Errorf("UnmarshalClaims(%s) = %+v, Decode gave %+v", v.Name, claims, c.Claims)
	}
	got, err := codec.MarshalClaims(&claims)
	if err != nil {
		t.Fatalf("MarshalClaims(%s) = %v", v.Name, err)
	}
	if !bytes.Equal(got, payload) {
		t.Errorf("MarshalClaims(UnmarshalClaims(%s)) = %x, want %x", v.Name, got, payload)
	}
}

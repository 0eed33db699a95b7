package codec_test

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/testvectors"
)

// seedTexts returns the text of every test vector and of a few codes issued
// here. It fails the test if the vectors are fewer than the package holds,
// so a fuzz target cannot silently run on nothing.
func seedTexts(tb testing.TB) []string {
	tb.Helper()
	vs := vectortest.Load[testvectors.Vector](tb)
	var texts []string
	for _, v := range vs {
		texts = append(texts, v.Text)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	id, err := identity.ParseID("11010519491231002X", at)
	if err != nil {
		tb.Fatal(err)
	}
	key := sign.NewKey(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	for i, colour := range []codec.Colour{codec.Green, codec.Yellow, codec.Red} {
		rand := bytes.NewReader(bytes.Repeat([]byte{byte(i)}, identity.SaltSize+codec.SerialSize))
		c, err := sign.NewClaims(rand, id, colour, codec.Kind(i%2), at.Add(time.Duration(i)*time.Hour))
		if err != nil {
			tb.Fatal(err)
		}
		text, err := key.Issue(c)
		if err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, text)
	}
	return texts
}

// seedCOSE returns the COSE bytes of every seed text that has them.
func seedCOSE(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, text := range seedTexts(tb) {
		if body, ok := strings.CutPrefix(text, codec.Prefix); ok {
			if b, err := format.DecodeBase45(body); err == nil {
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		tb.Fatalf("no seed has COSE bytes")
	}
	return out
}

// FuzzDecode checks that Decode never panics and that whatever it accepts
// has exactly the encoding it was given: decode then encode is the identity.
func FuzzDecode(f *testing.F) {
	for _, text := range seedTexts(f) {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := codec.Decode(text)
		if err != nil {
			if c != nil {
				t.Fatalf("Decode(%q) = %+v, %v, want nil Code with the error", text, c, err)
			}
			return
		}
		if got := codec.Encode(codec.MarshalMessage(c)); got != text {
			t.Fatalf("Encode(MarshalMessage(Decode(%q))) = %q, want the input", text, got)
		}
		payload, err := codec.MarshalClaims(&c.Claims)
		if err != nil || !bytes.Equal(payload, c.Payload) {
			t.Fatalf("MarshalClaims(Decode(%q).Claims) = %x, %v, want %x", text, payload, err, c.Payload)
		}
		if p := codec.MarshalProtected(c.KeyID); !bytes.Equal(p, c.Protected) {
			t.Fatalf("MarshalProtected(Decode(%q).KeyID) = %x, want %x", text, p, c.Protected)
		}
		if len(c.Signature) != codec.SignatureSize {
			t.Fatalf("Decode(%q): signature of %d bytes", text, len(c.Signature))
		}
		if !c.Claims.ExpiresAt.After(c.Claims.IssuedAt) || !c.Claims.Colour.Valid() || !c.Claims.Kind.Valid() {
			t.Fatalf("Decode(%q) accepted claims %+v", text, c.Claims)
		}
	})
}

// FuzzParseMessage checks ParseMessage over raw COSE bytes: no panic, and
// an accepted message re-encodes to its input.
func FuzzParseMessage(f *testing.F) {
	for _, b := range seedCOSE(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := codec.ParseMessage(b)
		if err != nil {
			return
		}
		if got := codec.MarshalMessage(m); !bytes.Equal(got, b) {
			t.Fatalf("MarshalMessage(ParseMessage(%x)) = %x, want the input", b, got)
		}
		if p := codec.MarshalProtected(m.KeyID); !bytes.Equal(p, m.Protected) {
			t.Fatalf("ParseMessage(%x): protected %x, want %x", b, m.Protected, p)
		}
		if c, err := codec.UnmarshalClaims(m.Payload); err == nil {
			if p, err := codec.MarshalClaims(&c); err != nil || !bytes.Equal(p, m.Payload) {
				t.Fatalf("MarshalClaims(UnmarshalClaims(%x)) = %x, %v, want the input", m.Payload, p, err)
			}
		}
	})
}

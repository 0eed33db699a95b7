package codec

import (
	"github.com/offcode/offcode/internal/format"

	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"testing"
)

func TestKeyIDOf(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	sum := sha256.Sum256(pub)
	if got := KeyIDOf(pub); !bytes.Equal(got[:], sum[:8]) {
		t.Fatalf("KeyIDOf(%x) = %x, want %x", pub, got, sum[:8])
	}
}

func TestKeyIDOfPanics(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatalf("KeyIDOf(%d bytes) did not panic", n)
				}
			}()
			KeyIDOf(make(ed25519.PublicKey, n))
		}()
	}
}

func TestMarshalProtected(t *testing.T) {
	if got := MarshalProtected(testKid); !bytes.Equal(got, testProt) {
		t.Fatalf("MarshalProtected(%x) = %x, want %x", testKid, got, testProt)
	}
}

func TestAppendSigStructure(t *testing.T) {
	payload := hx(hClaims)
	want := cat(hx("84 6a 5369676e617475726531"), bstr(testProt), hx("40"), bstr(payload))
	if got := format.AppendSigStructure(nil, testProt, payload); !bytes.Equal(got, want) {
		t.Fatalf("AppendSigStructure = %x, want %x", got, want)
	}
	// It appends.
	got := format.AppendSigStructure([]byte{0xff}, testProt, payload)
	if got[0] != 0xff || !bytes.Equal(got[1:], want) {
		t.Fatalf("format.AppendSigStructure(prefix 0xff) = %x, want ff%x", got, want)
	}
	// Lengths that need a two-byte and a three-byte head.
	for _, n := range []int{0, 23, 24, 255, 256, 1000} {
		p := bytes.Repeat([]byte{7}, n)
		want := cat(hx("84 6a 5369676e617475726531"), bstr(testProt), hx("40"), bstr(p))
		if got := format.AppendSigStructure(nil, testProt, p); !bytes.Equal(got, want) {
			t.Fatalf("format.AppendSigStructure(payload of %d bytes) = %x, want %x", n, got, want)
		}
	}
}

func TestMessageRoundTrip(t *testing.T) {
	b := testCOSE()
	m, err := ParseMessage(b)
	if err != nil {
		t.Fatalf("ParseMessage(%x) = %v, want nil", b, err)
	}
	if !bytes.Equal(m.Protected, testProt) || m.KeyID != testKid || !bytes.Equal(m.Payload, hx(hClaims)) || len(m.Signature) != SignatureSize {
		t.Fatalf("ParseMessage = %+v, want protected %x, kid %x, payload %x", m, testProt, testKid, hx(hClaims))
	}
	if got := MarshalMessage(m); !bytes.Equal(got, b) {
		t.Fatalf("MarshalMessage(ParseMessage(b)) = %x, want %x", got, b)
	}
	// The signature in the fixture is real: it verifies over the
	// Sig_structure, which shows sign1 and AppendSigStructure agree.
	tbs := format.AppendSigStructure(nil, m.Protected, m.Payload)
	if !ed25519.Verify(testKey.Public().(ed25519.PublicKey), tbs, m.Signature) {
		t.Fatalf("ed25519.Verify(fixture) = false, want true")
	}
}

func TestMarshalMessageLayout(t *testing.T) {
	sig := bytes.Repeat([]byte{0xab}, SignatureSize)
	m := &Message{Protected: testProt, KeyID: testKid, Payload: []byte{1, 2, 3}, Signature: sig}
	want := cat(hx("d2 84"), bstr(testProt), hx("a0 43 010203 58 40"), sig)
	if got := MarshalMessage(m); !bytes.Equal(got, want) {
		t.Fatalf("MarshalMessage = %x, want %x", got, want)
	}
}

// TestParseMessageLarge parses messages larger than any text form can
// carry, through ParseMessage: the canonical-encoding check must hold for
// them too.
func TestParseMessageLarge(t *testing.T) {
	for _, n := range []int{600, 700, 5000} {
		payload := bytes.Repeat([]byte{0x5a}, n)
		b := sign1(testProt, payload)
		m, err := ParseMessage(b)
		if err != nil || !bytes.Equal(m.Payload, payload) {
			t.Fatalf("ParseMessage(payload of %d bytes) = %v, want the payload", n, err)
		}
		// The same message with the payload length in a longer head.
		sig := b[len(b)-SignatureSize:]
		long := cat(hx("d2 84"), bstr(testProt), hx("a0 5a"), []byte{0, 0, byte(n >> 8), byte(n)}, payload, bstr(sig))
		if _, err := ParseMessage(long); !errors.Is(err, ErrNonCanonical) {
			t.Fatalf("ParseMessage(payload of %d bytes, 5-byte head) = %v, want %v", n, err, ErrNonCanonical)
		}
	}
}

func TestKeyIDText(t *testing.T) {
	kid := KeyID{0xa9, 0x33, 0x0f, 0xfa, 0x90, 0x4e, 0x79, 0xe5}
	if got := kid.String(); got != "qTMP-pBOeeU" {
		t.Fatalf("KeyID.String() = %q, want qTMP-pBOeeU", got)
	}
	b, err := kid.MarshalText()
	if err != nil || string(b) != "qTMP-pBOeeU" {
		t.Fatalf("KeyID.MarshalText() = %q, %v", b, err)
	}
	var back KeyID
	if err := back.UnmarshalText(b); err != nil || back != kid {
		t.Fatalf("UnmarshalText(%q) = %x, %v, want %x", b, back, err, kid)
	}
	for _, bad := range []string{"", "qTMP-pBOeeU=", "qTMP-pBOee", "qTMP-pBOeeUA", "qTMP+pBOeeU", "qTMP-pBOeeV"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = nil, want an error", bad)
		}
	}
}

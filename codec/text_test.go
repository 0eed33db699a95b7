package codec

import (
	"github.com/offcode/offcode/internal/format"

	"bytes"
	"errors"
	"strings"
	"testing"
)

// sentinels is every exported error of the package.
var sentinels = []error{
	ErrPrefix, ErrBase45, ErrMalformed, ErrTrailingBytes, ErrIndefinite,
	ErrDuplicateKey, ErrNonCanonical, ErrTag, ErrAlgorithm, ErrMissingKeyID,
	ErrHeader, ErrMissingClaim, ErrUnknownClaim, ErrClaim, ErrSignatureSize,
	ErrTooLarge,
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	b := testCOSE()
	text := Encode(b)
	if !strings.HasPrefix(text, Prefix) || len(text) != len(Prefix)+format.Base45EncodedLen(len(b)) {
		t.Fatalf("Encode(%x) = %q, want %q and %d Base45 characters", b, text, Prefix, format.Base45EncodedLen(len(b)))
	}
	c := mustDecode(t, text)
	if c.Claims != testClaims() {
		t.Fatalf("Decode(%q).Claims = %+v, want %+v", text, c.Claims, testClaims())
	}
	if c.KeyID != testKid || !bytes.Equal(c.Protected, testProt) || !bytes.Equal(c.Payload, hx(hClaims)) {
		t.Fatalf("Decode(%q) = %+v, want kid %x", text, c, testKid)
	}
	if got := Encode(MarshalMessage(c)); got != text {
		t.Fatalf("Encode(MarshalMessage(Decode(%q))) = %q, want the input", text, got)
	}
	if got, err := MarshalClaims(&c.Claims); err != nil || !bytes.Equal(got, c.Payload) {
		t.Fatalf("MarshalClaims(Decode(%q).Claims) = %x, %v, want %x, nil", text, got, err, c.Payload)
	}
	if len(text) > 300 {
		t.Fatalf("len(Encode(fixture)) = %d, want at most 300", len(text))
	}
}

// decodeCase is a hand-made input and the sentinel it must produce. The
// input is COSE bytes unless text is set.
type decodeCase struct {
	name string
	text string
	cose []byte
	want error
}

// textCases are the decodeCases of the text form (SPEC.md §8 steps 1-2).
func textCases() []decodeCase {
	good := testCOSE()
	body := Encode(good)[len(Prefix):]
	return []decodeCase{
		{name: "too large", text: Prefix + strings.Repeat("0", MaxTextSize-len(Prefix)+1), want: ErrTooLarge},
		{name: "empty text", text: "", want: ErrPrefix},
		{name: "prefix only partly", text: "OC1", want: ErrPrefix},
		{name: "lower-case prefix", text: "oc1:" + Encode(good)[4:], want: ErrPrefix},
		{name: "version 2 prefix", text: "OC2:" + Encode(good)[4:], want: ErrPrefix},
		{name: "EU DCC prefix", text: "HC1:" + Encode(good)[4:], want: ErrPrefix},
		{name: "leading space", text: " " + Encode(good), want: ErrPrefix},
		{name: "lower-case Base45", text: strings.ToLower(Encode(good)), want: ErrPrefix},
		{name: "lower-case Base45 body", text: Prefix + strings.ToLower(Encode(good)[4:]), want: ErrBase45},
		{name: "Base45 length 1 mod 3", text: Prefix + strings.Repeat("0", (4-len(body)%3)%3) + body, want: ErrBase45},
		{name: "Base45 group too large", text: Prefix + "GGW" + body, want: ErrBase45},
		{name: "trailing newline", text: Encode(good) + "\n", want: ErrBase45},
	}
}

// decodeCases holds, for every sentinel, at least one hand-made input that
// produces it.
func decodeCases() []decodeCase {
	good := testCOSE()
	payload := hx(hClaims)
	sig := good[len(good)-SignatureSize:]
	prot := bstr(testProt)
	pl := bstr(payload)
	sg := bstr(sig)
	kid := testKid[:]
	// msg builds 18([items...]) from encoded items.
	msg := func(items ...[]byte) []byte {
		return cat(hx("d2"), []byte{0x80 | byte(len(items))}, cat(items...))
	}
	hdr := func(h string, rest ...[]byte) []byte { return bstr(cat(hx(h), cat(rest...))) }
	claims := func(h string) []byte { return bstr(hx(h)) }
	return append(textCases(), []decodeCase{
		{name: "empty message", cose: nil, want: ErrMalformed},
		{name: "truncated", cose: good[:len(good)-1], want: ErrMalformed},
		{name: "tag only", cose: hx("d2"), want: ErrMalformed},
		{name: "array of 3", cose: msg(prot, hx("a0"), pl), want: ErrMalformed},
		{name: "array of 5", cose: msg(prot, hx("a0"), pl, sg, hx("00")), want: ErrMalformed},
		{name: "not an array", cose: cat(hx("d2"), prot), want: ErrMalformed},
		{name: "protected is a map", cose: msg(testProt, hx("a0"), pl, sg), want: ErrMalformed},
		{name: "detached payload", cose: msg(prot, hx("a0"), hx("f6"), sg), want: ErrMalformed},
		{name: "payload as text", cose: msg(prot, hx("a0"), cat([]byte{0x78, byte(len(payload))}, payload), sg), want: ErrMalformed},
		{name: "signature 63 bytes", cose: msg(prot, hx("a0"), pl, bstr(sig[:63])), want: ErrSignatureSize},
		{name: "signature 65 bytes", cose: msg(prot, hx("a0"), pl, bstr(cat(sig, hx("00")))), want: ErrSignatureSize},
		{name: "empty payload", cose: msg(prot, hx("a0"), hx("40"), sg), want: ErrMalformed},

		{name: "trailing byte", cose: cat(good, hx("00")), want: ErrTrailingBytes},
		{name: "trailing byte in protected", cose: msg(hdr("a2 01 27 04 48", kid, hx("00")), hx("a0"), pl, sg), want: ErrTrailingBytes},
		{name: "trailing byte in payload", cose: msg(prot, hx("a0"), claims(hClaims+"00"), sg), want: ErrTrailingBytes},

		{name: "indefinite array", cose: cat(hx("d2 9f"), prot, hx("a0"), pl, sg, hx("ff")), want: ErrIndefinite},
		{name: "indefinite payload string", cose: msg(prot, hx("a0"), cat(hx("5f"), pl, hx("ff")), sg), want: ErrIndefinite},
		{name: "indefinite unprotected map", cose: msg(prot, hx("bf ff"), pl, sg), want: ErrIndefinite},
		{name: "indefinite protected map", cose: msg(hdr("bf 01 27 04 48", kid, hx("ff")), hx("a0"), pl, sg), want: ErrIndefinite},

		{name: "duplicate alg", cose: msg(hdr("a3 01 27 01 27 04 48", kid), hx("a0"), pl, sg), want: ErrDuplicateKey},
		{name: "duplicate claim", cose: msg(prot, hx("a0"), claims("a5"+hExp+hIat+hIat+hCti+hOffKey+hInner), sg), want: ErrDuplicateKey},

		{name: "tag 18 in two bytes", cose: cat(hx("d8 12"), good[1:]), want: ErrNonCanonical},
		{name: "tag 18 in three bytes", cose: cat(hx("d9 0012"), good[1:]), want: ErrNonCanonical},
		{name: "tag 18 in nine bytes", cose: cat(hx("db 0000000000000012"), good[1:]), want: ErrNonCanonical},
		{name: "protected labels reversed", cose: msg(hdr("a2 04 48", kid, hx("01 27")), hx("a0"), pl, sg), want: ErrNonCanonical},
		{name: "payload length not shortest", cose: msg(prot, hx("a0"), cat([]byte{0x59, 0, byte(len(payload))}, payload), sg), want: ErrNonCanonical},
		{name: "signature length not shortest", cose: msg(prot, hx("a0"), pl, cat(hx("59 0040"), sig)), want: ErrNonCanonical},
		{name: "alg not shortest", cose: msg(hdr("a2 01 38 07 04 48", kid), hx("a0"), pl, sg), want: ErrNonCanonical},
		{name: "claims out of order", cose: msg(prot, hx("a0"), claims("a4"+hIat+hExp+hCti+hOffKey+hInner), sg), want: ErrNonCanonical},

		{name: "untagged", cose: good[1:], want: ErrTag},
		{name: "tag 17", cose: cat(hx("d1"), good[1:]), want: ErrTag},
		{name: "tag 98", cose: cat(hx("d8 62"), good[1:]), want: ErrTag},
		{name: "tag 18 inside tag 55799", cose: cat(hx("d9 d9f7"), good), want: ErrTag},
		{name: "tag 18 twice", cose: cat(hx("d2"), good), want: ErrTag},
		{name: "tag 18 head truncated", cose: hx("d9 00"), want: ErrMalformed},

		{name: "alg ES256", cose: msg(hdr("a2 01 26 04 48", kid), hx("a0"), pl, sg), want: ErrAlgorithm},
		{name: "alg missing", cose: msg(hdr("a1 04 48", kid), hx("a0"), pl, sg), want: ErrAlgorithm},
		{name: "alg below int64", cose: msg(hdr("a2 01 3b ffffffffffffffff 04 48", kid), hx("a0"), pl, sg), want: ErrAlgorithm},
		{name: "alg as text", cose: msg(hdr("a2 01 65 4564445341 04 48", kid), hx("a0"), pl, sg), want: ErrAlgorithm},

		{name: "kid missing", cose: msg(hdr("a1 01 27"), hx("a0"), pl, sg), want: ErrMissingKeyID},
		{name: "empty protected", cose: msg(hx("40"), hx("a0"), pl, sg), want: ErrMissingKeyID},
		{name: "kid only unprotected", cose: msg(hdr("a1 01 27"), cat(hx("a1 04 48"), kid), pl, sg), want: ErrMissingKeyID},

		{name: "kid 7 bytes", cose: msg(hdr("a2 01 27 04 47", kid[:7]), hx("a0"), pl, sg), want: ErrHeader},
		{name: "kid as text", cose: msg(hdr("a2 01 27 04 68", []byte("abcdefgh")), hx("a0"), pl, sg), want: ErrHeader},
		{name: "kid as invalid UTF-8 text", cose: msg(hdr("a2 01 27 04 62 c328"), hx("a0"), pl, sg), want: ErrMalformed},
		{name: "unknown protected label", cose: msg(hdr("a3 01 27 04 48", kid, hx("05 40")), hx("a0"), pl, sg), want: ErrHeader},
		{name: "crit in protected", cose: msg(hdr("a3 01 27 02 81 01 04 48", kid), hx("a0"), pl, sg), want: ErrHeader},
		{name: "kid repeated unprotected", cose: msg(prot, cat(hx("a1 04 48"), kid), pl, sg), want: ErrHeader},
		{name: "unknown unprotected label", cose: msg(prot, hx("a1 05 40"), pl, sg), want: ErrHeader},

		{name: "missing iat", cose: msg(prot, hx("a0"), claims("a3"+hExp+hCti+hOffKey+hInner), sg), want: ErrMissingClaim},
		{name: "unknown claim", cose: msg(prot, hx("a0"), claims("a5 01 61 78"+hExp+hIat+hCti+hOffKey+hInner), sg), want: ErrUnknownClaim},
		{name: "colour 3", cose: msg(prot, hx("a0"), claims("a4"+hExp+hIat+hCti+hOffKey+"a3 01 03"+hKind+hIdent), sg), want: ErrClaim},
	}...)
}

func TestDecodeErrors(t *testing.T) {
	seen := map[error]bool{}
	for _, tt := range decodeCases() {
		text := tt.text
		if tt.cose != nil || tt.text == "" && tt.want != ErrPrefix {
			text = Encode(tt.cose)
		}
		c, err := Decode(text)
		if !errors.Is(err, tt.want) {
			t.Fatalf("Decode(%s) = %v, want %v", tt.name, err, tt.want)
		}
		if c != nil {
			t.Fatalf("Decode(%s) = %+v, want nil Code", tt.name, c)
		}
		// Exactly one sentinel matches, except that ErrSignatureSize
		// refines ErrMalformed.
		for _, s := range sentinels {
			if s != tt.want && errors.Is(err, s) && !(tt.want == ErrSignatureSize && s == ErrMalformed) {
				t.Fatalf("Decode(%s) = %v, which is also %v", tt.name, err, s)
			}
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "codec: ") {
			t.Fatalf("Decode(%s) error %q lacks the \"codec: \" prefix", tt.name, msg)
		}
		seen[tt.want] = true
	}
	for _, s := range sentinels {
		if !seen[s] {
			t.Fatalf("no Decode case produces %v", s)
		}
	}
}

func TestDecodeMaxTextSize(t *testing.T) {
	// Exactly MaxTextSize characters is not too large; it fails later.
	text := Prefix + strings.Repeat("0", MaxTextSize-len(Prefix))
	if _, err := Decode(text); err == nil || errors.Is(err, ErrTooLarge) {
		t.Fatalf("Decode(%d characters) = %v, want an error other than %v", len(text), err, ErrTooLarge)
	}
}

// TestDecodeNoPanic decodes every truncation and many one-byte changes of a
// valid code, and every crafted case above. None may panic; any that
// decodes must re-encode to itself.
func TestDecodeNoPanic(t *testing.T) {
	good := testCOSE()
	var inputs [][]byte
	for i := 0; i <= len(good); i++ {
		inputs = append(inputs, good[:i])
	}
	for i := range good {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(good)
			b[i] ^= x
			inputs = append(inputs, b)
		}
		inputs = append(inputs, cat(good[:i], good[i+1:]))
	}
	for _, tt := range decodeCases() {
		inputs = append(inputs, tt.cose)
	}
	for _, b := range inputs {
		text := Encode(b)
		c, err := Decode(text)
		if err != nil {
			continue
		}
		if got := Encode(MarshalMessage(c)); got != text {
			t.Fatalf("Encode(MarshalMessage(Decode(%q))) = %q, want the input", text, got)
		}
	}
	for _, s := range []string{"OC1:", "OC1:00", "OC1:000", "OC1::::", Prefix + strings.Repeat(":", 900)} {
		if _, err := Decode(s); err == nil {
			t.Fatalf("Decode(%q) = nil, want error", s)
		}
	}
}

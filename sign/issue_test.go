package sign

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

func TestNewClaims(t *testing.T) {
	id := testID(t)
	at := time.Date(2026, 3, 1, 10, 20, 30, 999_999_999, identity.Beijing())
	c, err := NewClaims(&stream{seed: "claims"}, id, codec.Red, codec.Kin, at)
	if err != nil {
		t.Fatalf("NewClaims = %v, want nil", err)
	}
	wantIat := time.Date(2026, 3, 1, 2, 20, 30, 0, time.UTC)
	if !c.IssuedAt.Equal(wantIat) || c.IssuedAt.Location() != time.UTC || c.IssuedAt.Nanosecond() != 0 {
		t.Fatalf("NewClaims(at %v).IssuedAt = %v, want %v", at, c.IssuedAt, wantIat)
	}
	if want := wantIat.Add(7 * 24 * time.Hour); !c.ExpiresAt.Equal(want) {
		t.Fatalf("NewClaims.ExpiresAt = %v, want %v (iat + 7 d)", c.ExpiresAt, want)
	}
	if c.ExpiresAt.Unix()-c.IssuedAt.Unix() != 604800 {
		t.Fatalf("NewClaims: exp - iat = %d, want 604800", c.ExpiresAt.Unix()-c.IssuedAt.Unix())
	}
	if c.Colour != codec.Red || c.Kind != codec.Kin {
		t.Fatalf("NewClaims = colour %v, kind %v, want red, kin", c.Colour, c.Kind)
	}
	if ok, err := c.Identity.Matches(id); !ok || err != nil {
		t.Fatalf("NewClaims.Identity.Matches(id) = %v, %v, want true, nil", ok, err)
	}
	// The salt is read first, then the serial.
	var want [16 + codec.SerialSize]byte
	(&stream{seed: "claims"}).Read(want[:])
	if !bytes.Equal(c.Identity.Salt[:], want[:16]) || !bytes.Equal(c.Serial[:], want[16:]) {
		t.Fatalf("NewClaims: salt %x serial %x, want %x %x", c.Identity.Salt, c.Serial, want[:16], want[16:])
	}
	// Fresh randomness gives a fresh salt and serial.
	d, _ := NewClaims(&stream{seed: "other"}, id, codec.Red, codec.Kin, at)
	if d.Serial == c.Serial || d.Identity.Salt == c.Identity.Salt || d.Identity.Sum == c.Identity.Sum {
		t.Fatalf("NewClaims with two readers gave the same serial, salt or hash")
	}
}

func TestNewClaimsErrors(t *testing.T) {
	id := testID(t)
	tests := []struct {
		name   string
		rand   func() *bytes.Reader
		colour codec.Colour
		kind   codec.Kind
		at     time.Time
	}{
		{"no randomness", func() *bytes.Reader { return bytes.NewReader(nil) }, codec.Green, codec.Personal, testNow},
		{"no serial", func() *bytes.Reader { return bytes.NewReader(make([]byte, 20)) }, codec.Green, codec.Personal, testNow},
		{"colour 3", func() *bytes.Reader { return bytes.NewReader(make([]byte, 28)) }, 3, codec.Personal, testNow},
		{"kind 2", func() *bytes.Reader { return bytes.NewReader(make([]byte, 28)) }, codec.Green, 2, testNow},
		{"before 1970", func() *bytes.Reader { return bytes.NewReader(make([]byte, 28)) }, codec.Green, codec.Personal, time.Unix(-10, 0)},
		{"after 9999", func() *bytes.Reader { return bytes.NewReader(make([]byte, 28)) }, codec.Green, codec.Personal, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if c, err := NewClaims(tt.rand(), id, tt.colour, tt.kind, tt.at); err == nil {
			t.Fatalf("NewClaims(%s) = %+v, nil, want error", tt.name, c)
		}
	}
	if _, err := NewClaims(iotest.ErrReader(errors.New("boom")), id, codec.Green, codec.Personal, testNow); err == nil {
		t.Fatalf("NewClaims(failing reader) = nil error, want error")
	}
}

func TestIssue(t *testing.T) {
	k := testKey()
	c, err := NewClaims(&stream{seed: "issue"}, testID(t), codec.Green, codec.Personal, testNow)
	if err != nil {
		t.Fatal(err)
	}
	text, err := k.Issue(c)
	if err != nil {
		t.Fatalf("Issue = %v, want nil", err)
	}
	if !strings.HasPrefix(text, codec.Prefix) {
		t.Fatalf("Issue = %q, want prefix %q", text, codec.Prefix)
	}
	if again, _ := k.Issue(c); again != text {
		t.Fatalf("Issue twice = %q and %q, want the same (Ed25519 is deterministic)", text, again)
	}
	got, err := codec.Decode(text)
	if err != nil {
		t.Fatalf("codec.Decode(Issue()) = %v, want nil", err)
	}
	if got.Claims != *c || got.KeyID != k.KeyID() {
		t.Fatalf("codec.Decode(Issue()) = %+v, kid %x, want %+v, kid %x", got.Claims, got.KeyID, *c, k.KeyID())
	}
	tbs := format.AppendSigStructure(nil, got.Protected, got.Payload)
	if !ed25519.Verify(k.Public(), tbs, got.Signature) {
		t.Fatalf("ed25519.Verify(Issue()) = false, want true")
	}
	if got := format.AppendMessage(nil, got.Protected, got.Payload, got.Signature); format.EncodeText(codec.Prefix, got) != text {
		t.Fatalf("Issue() = %q, want the text of its COSE_Sign1 %x", text, got)
	}
}

func TestIssueValidity(t *testing.T) {
	k := testKey()
	base, err := NewClaims(&stream{seed: "validity"}, testID(t), codec.Yellow, codec.Personal, testNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		validity time.Duration
		wantErr  bool
	}{
		{"1 s", time.Second, false},
		{"1 d", 24 * time.Hour, false},
		{"7 d", 7 * 24 * time.Hour, false},
		{"7 d + 1 s", 7*24*time.Hour + time.Second, true},
		{"8 d", 8 * 24 * time.Hour, true},
		{"0 s", 0, true},
		{"-1 s", -time.Second, true},
	}
	for _, tt := range tests {
		c := *base
		c.ExpiresAt = c.IssuedAt.Add(tt.validity)
		text, err := k.Issue(&c)
		if (err != nil) != tt.wantErr {
			t.Fatalf("Issue(validity %s) = %q, %v, want error %v", tt.name, text, err, tt.wantErr)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "sign: ") {
			t.Fatalf("Issue(validity %s) error %q lacks the \"sign: \" prefix", tt.name, err)
		}
	}
	c := *base
	c.Colour = 7
	if _, err := k.Issue(&c); !errors.Is(err, format.ErrClaim) {
		t.Fatalf("Issue(colour 7) = %v, want %v", err, format.ErrClaim)
	}
}

func TestSignPayload(t *testing.T) {
	k := testKey()
	payload := []byte{0xa0}
	// The message is 18([{1: -8, 4: kid}, {}, payload, signature]), the
	// signature over the Sig_structure; a payload larger than the stack
	// buffer is signed correctly too.
	for _, payload := range [][]byte{payload, bytes.Repeat([]byte{1}, 1000)} {
		got := k.signPayload(payload)
		if len(got) < ed25519.SignatureSize {
			t.Fatalf("signPayload(%d bytes) = %x, too short", len(payload), got)
		}
		sig := got[len(got)-ed25519.SignatureSize:]
		prot := format.AppendProtected(nil, k.KeyID())
		if want := format.AppendMessage(nil, prot, payload, sig); !bytes.Equal(got, want) {
			t.Fatalf("signPayload(%d bytes) = %x, want %x", len(payload), got, want)
		}
		if !ed25519.Verify(k.Public(), format.AppendSigStructure(nil, prot, payload), sig) {
			t.Fatalf("signPayload(%d bytes): the signature does not verify", len(payload))
		}
	}
}

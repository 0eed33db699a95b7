package codec

import (
	"bytes"
	"encoding"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
)

func TestMarshalClaimsWireFormat(t *testing.T) {
	c := testClaims()
	got, err := MarshalClaims(&c)
	if err != nil {
		t.Fatalf("MarshalClaims = %v, want nil", err)
	}
	if want := hx(hClaims); !bytes.Equal(got, want) {
		t.Fatalf("MarshalClaims = %x, want %x", got, want)
	}
}

func TestClaimsRoundTrip(t *testing.T) {
	tests := []func(*Claims){
		func(c *Claims) {},
		func(c *Claims) { c.Colour, c.Kind = Green, Personal },
		func(c *Claims) { c.Colour = Red },
		func(c *Claims) { c.ExpiresAt = c.IssuedAt.Add(time.Second) },
		func(c *Claims) { c.IssuedAt, c.ExpiresAt = time.Unix(0, 0).UTC(), time.Unix(1, 0).UTC() },
		func(c *Claims) { c.IssuedAt, c.ExpiresAt = time.Unix(23, 0).UTC(), time.Unix(24, 0).UTC() },
		func(c *Claims) {
			c.IssuedAt, c.ExpiresAt = time.Unix(maxNumericDay-1, 0).UTC(), time.Unix(maxNumericDay, 0).UTC()
		},
		func(c *Claims) { c.Serial = [SerialSize]byte{}; c.Identity.Salt = [identity.SaltSize]byte{} },
	}
	for i, mod := range tests {
		c := testClaims()
		mod(&c)
		b, err := MarshalClaims(&c)
		if err != nil {
			t.Fatalf("MarshalClaims(case %d) = %v, want nil", i, err)
		}
		got, err := UnmarshalClaims(b)
		if err != nil {
			t.Fatalf("UnmarshalClaims(MarshalClaims(case %d)) = %v, want nil", i, err)
		}
		if got != c {
			t.Fatalf("UnmarshalClaims(MarshalClaims(case %d)) = %+v, want %+v", i, got, c)
		}
		if got.IssuedAt.Location() != time.UTC || got.ExpiresAt.Location() != time.UTC {
			t.Fatalf("UnmarshalClaims(case %d) times are in %v, want UTC", i, got.IssuedAt.Location())
		}
	}
}

func TestClaimsValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Claims)
	}{
		{"exp == iat", func(c *Claims) { c.ExpiresAt = c.IssuedAt }},
		{"exp < iat", func(c *Claims) { c.ExpiresAt = c.IssuedAt.Add(-time.Second) }},
		{"iat before 1970", func(c *Claims) { c.IssuedAt = time.Unix(-1, 0) }},
		{"exp after 9999", func(c *Claims) { c.ExpiresAt = time.Unix(maxNumericDay+1, 0) }},
		{"colour 3", func(c *Claims) { c.Colour = 3 }},
		{"kind 2", func(c *Claims) { c.Kind = 2 }},
		{"hash version 0", func(c *Claims) { c.Identity.Version = 0 }},
		{"hash version 1", func(c *Claims) { c.Identity.Version = 1 }},
		{"hash version 3", func(c *Claims) { c.Identity.Version = 3 }},
		{"digest bits beyond 20", func(c *Claims) { c.Identity.Sum[2] |= 1 }},
	}
	for _, tt := range tests {
		c := testClaims()
		tt.mod(&c)
		if err := c.Validate(); !errors.Is(err, ErrClaim) {
			t.Fatalf("Validate(%s) = %v, want %v", tt.name, err, ErrClaim)
		}
		if b, err := MarshalClaims(&c); !errors.Is(err, ErrClaim) {
			t.Fatalf("MarshalClaims(%s) = %x, %v, want %v", tt.name, b, err, ErrClaim)
		}
	}
}

func TestUnmarshalClaimsErrors(t *testing.T) {
	const (
		exp8    = "04 1b 00000000695ef380"
		inner2  = "a2" + hColour + hIdent
		innerX  = "a4" + hColour + hKind + hIdent + "04 00"
		ident2  = "03 82 02 50" + hSalt
		identV1 = "03 83 01 50" + hSalt + "43" + hSum
	)
	tests := []struct {
		name string
		hex  string
		want error
	}{
		{"empty", "", ErrMalformed},
		{"truncated", hClaims[:len(hClaims)-2], ErrMalformed},
		{"not a map", "83 01 02 03", ErrClaim},
		{"trailing byte", hClaims + "00", ErrTrailingBytes},
		{"indefinite map", "bf" + hExp + hIat + hCti + hOffKey + hInner + "ff", ErrIndefinite},
		{"indefinite cti", "a4" + hExp + hIat + "07 5f 4c 000102030405060708090a0b ff" + hOffKey + hInner, ErrIndefinite},
		{"duplicate exp", "a5" + hExp + hExp + hIat + hCti + hOffKey + hInner, ErrDuplicateKey},
		{"duplicate colour", "a4" + hExp + hIat + hCti + hOffKey + "a4" + hColour + hColour + hKind + hIdent, ErrDuplicateKey},
		{"keys out of order", "a4" + hIat + hExp + hCti + hOffKey + hInner, ErrNonCanonical},
		{"exp not shortest", "a4" + exp8 + hIat + hCti + hOffKey + hInner, ErrNonCanonical},
		{"map head not shortest", "b8 04" + hExp + hIat + hCti + hOffKey + hInner, ErrNonCanonical},
		{"missing exp", "a3" + hIat + hCti + hOffKey + hInner, ErrMissingClaim},
		{"missing cti", "a3" + hExp + hIat + hOffKey + hInner, ErrMissingClaim},
		{"missing offcode claim", "a3" + hExp + hIat + hCti, ErrMissingClaim},
		{"missing kind", "a4" + hExp + hIat + hCti + hOffKey + inner2, ErrMissingClaim},
		{"unknown claim iss", "a5 01 61 78" + hExp + hIat + hCti + hOffKey + hInner, ErrUnknownClaim},
		{"unknown inner member", "a4" + hExp + hIat + hCti + hOffKey + innerX, ErrUnknownClaim},
		{"text key", "a5" + hExp + hIat + hCti + "61 78 00" + hOffKey + hInner, ErrUnknownClaim},
		{"exp as text", "a4 04 61 31" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"exp negative", "a4 04 20" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"exp float", "a4 04 f9 3c00" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"exp == iat", "a4 04 1a 6955b900" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"exp beyond 9999", "a4 04 1b 0000003afff44180" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"exp beyond int64", "a4 04 1b ffffffffffffffff" + hIat + hCti + hOffKey + hInner, ErrClaim},
		{"cti 11 bytes", "a4" + hExp + hIat + "07 4b 000102030405060708090a" + hOffKey + hInner, ErrClaim},
		{"cti as text", "a4" + hExp + hIat + "07 6c 303132333435363738393031" + hOffKey + hInner, ErrClaim},
		{"colour 3", "a4" + hExp + hIat + hCti + hOffKey + "a3 01 03" + hKind + hIdent, ErrClaim},
		{"kind 2", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + "02 02" + hIdent, ErrClaim},
		{"identity array of 2", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + ident2, ErrClaim},
		{"identity version 1", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + identV1, ErrClaim},
		{"salt 15 bytes", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83 02 4f" + hSalt[2:] + "43" + hSum, ErrClaim},
		{"digest 16 bytes", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83 02 50" + hSalt + "50" + hSalt, ErrClaim},
		{"digest low bits set", "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83 02 50" + hSalt + "43 202121", ErrClaim},
		{"simple(0) iat", "a4" + hExp + "06 e0" + hCti + hOffKey + hInner, ErrClaim},
		{"empty array cti", "a4" + hExp + hIat + "07 80" + hOffKey + hInner, ErrClaim},
		{"byte string key", "a5" + hExp + hIat + hCti + "41 08 00" + hOffKey + hInner, ErrUnknownClaim},
		{"key 6 twice by value", "a5" + hExp + hIat + "18 06 1a 6955b900" + hCti + hOffKey + hInner, ErrDuplicateKey},
		{"17 levels", "a5" + hExp + hIat + hCti + "08" + strings.Repeat("81", 15) + "80" + hOffKey + hInner, ErrMalformed},
		{"16 levels", "a5" + hExp + hIat + hCti + "08" + strings.Repeat("81", 14) + "80" + hOffKey + hInner, ErrUnknownClaim},
		{"invalid UTF-8", "a5" + hExp + hIat + hCti + "08 61 ff" + hOffKey + hInner, ErrMalformed},
		{"tagged exp", "a4 04 c1 1a 695ef380" + hIat + hCti + hOffKey + hInner, ErrClaim},
	}
	for _, tt := range tests {
		c, err := UnmarshalClaims(hx(tt.hex))
		if !errors.Is(err, tt.want) {
			t.Fatalf("UnmarshalClaims(%s) = %+v, %v, want %v", tt.name, c, err, tt.want)
		}
	}
}

func TestColour(t *testing.T) {
	tests := []struct {
		c    Colour
		name string
	}{{Green, "green"}, {Yellow, "yellow"}, {Red, "red"}}
	for i, tt := range tests {
		if uint8(tt.c) != uint8(i) {
			t.Fatalf("Colour %s = %d, want wire value %d", tt.name, tt.c, i)
		}
		if got := tt.c.String(); got != tt.name {
			t.Fatalf("Colour(%d).String() = %q, want %q", tt.c, got, tt.name)
		}
		if !tt.c.Valid() {
			t.Fatalf("Colour(%d).Valid() = false, want true", tt.c)
		}
		got, err := ParseColour(tt.name)
		if err != nil || got != tt.c {
			t.Fatalf("ParseColour(%q) = %v, %v, want %v, nil", tt.name, got, err, tt.c)
		}
		b, err := tt.c.MarshalText()
		if err != nil || string(b) != tt.name {
			t.Fatalf("Colour(%d).MarshalText() = %q, %v, want %q, nil", tt.c, b, err, tt.name)
		}
		var u Colour = 99
		if err := u.UnmarshalText([]byte(tt.name)); err != nil || u != tt.c {
			t.Fatalf("UnmarshalText(%q) = %v, %v, want %v, nil", tt.name, u, err, tt.c)
		}
	}
	for _, s := range []string{"", "Green", "GREEN", "blue", "0", " green"} {
		if c, err := ParseColour(s); err == nil {
			t.Fatalf("ParseColour(%q) = %v, nil, want error", s, c)
		}
		u := Yellow
		if err := u.UnmarshalText([]byte(s)); err == nil || u != Yellow {
			t.Fatalf("UnmarshalText(%q) = %v, %v, want error and no change", s, u, err)
		}
	}
	bad := Colour(3)
	if bad.Valid() || bad.String() != "colour(3)" {
		t.Fatalf("Colour(3) = %q, Valid %v, want \"colour(3)\", false", bad.String(), bad.Valid())
	}
	if b, err := bad.MarshalText(); err == nil {
		t.Fatalf("Colour(3).MarshalText() = %q, nil, want error", b)
	}
	var _ encoding.TextMarshaler = Green
	var _ encoding.TextUnmarshaler = new(Colour)
}

func TestKind(t *testing.T) {
	tests := []struct {
		k    Kind
		name string
	}{{Personal, "personal"}, {Kin, "kin"}}
	for i, tt := range tests {
		if uint8(tt.k) != uint8(i) {
			t.Fatalf("Kind %s = %d, want wire value %d", tt.name, tt.k, i)
		}
		if got := tt.k.String(); got != tt.name {
			t.Fatalf("Kind(%d).String() = %q, want %q", tt.k, got, tt.name)
		}
		got, err := ParseKind(tt.name)
		if err != nil || got != tt.k {
			t.Fatalf("ParseKind(%q) = %v, %v, want %v, nil", tt.name, got, err, tt.k)
		}
		b, err := tt.k.MarshalText()
		if err != nil || string(b) != tt.name {
			t.Fatalf("Kind(%d).MarshalText() = %q, %v, want %q, nil", tt.k, b, err, tt.name)
		}
		var u Kind = 99
		if err := u.UnmarshalText([]byte(tt.name)); err != nil || u != tt.k {
			t.Fatalf("UnmarshalText(%q) = %v, %v, want %v, nil", tt.name, u, err, tt.k)
		}
	}
	for _, s := range []string{"", "Kin", "kinship", "family", "1"} {
		if k, err := ParseKind(s); err == nil {
			t.Fatalf("ParseKind(%q) = %v, nil, want error", s, k)
		}
	}
	bad := Kind(2)
	if bad.Valid() || bad.String() != "kind(2)" {
		t.Fatalf("Kind(2) = %q, Valid %v, want \"kind(2)\", false", bad.String(), bad.Valid())
	}
	if b, err := bad.MarshalText(); err == nil {
		t.Fatalf("Kind(2).MarshalText() = %q, nil, want error", b)
	}
}

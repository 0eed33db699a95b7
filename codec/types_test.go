package codec

import (
	"errors"
	"testing"
)

// wrongTypes are CBOR values of every kind a claim of SPEC.md §4.1 might be
// replaced by; none may be converted to the type the claim needs (SPEC.md
// §3.5 rules 7-8).
var wrongTypes = map[string]string{
	"null": "f6", "undefined": "f7", "false": "f4", "true": "f5", "simple(0)": "e0", "simple(255)": "f8ff",
	"float16": "f93c00", "float32": "fa3fc00000", "float64": "fb3ff8000000000000", "empty array": "80",
	"empty map": "a0", "text": "6131", "negative": "20", "tagged 0": "c100", "bignum": "c24101",
}

// TestWrongTypeEveryClaim replaces the value of each claim, in turn, by a
// value of each wrong type: the verdict is bad_claim every time.
func TestWrongTypeEveryClaim(t *testing.T) {
	salt, sum := "50"+hSalt, "43"+hSum
	positions := []struct {
		name string
		mk   func(v string) string
		ok   map[string]bool // types that are right at this position
	}{
		{"exp", func(v string) string { return "a4 04" + v + hIat + hCti + hOffKey + hInner }, nil},
		{"iat", func(v string) string { return "a4" + hExp + "06" + v + hCti + hOffKey + hInner }, nil},
		{"cti", func(v string) string { return "a4" + hExp + hIat + "07" + v + hOffKey + hInner }, nil},
		{"offcode claim", func(v string) string { return "a4" + hExp + hIat + hCti + hOffKey + v }, map[string]bool{"empty map": true}},
		{"colour", func(v string) string { return "a4" + hExp + hIat + hCti + hOffKey + "a3 01" + v + hKind + hIdent }, nil},
		{"kind", func(v string) string { return "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + "02" + v + hIdent }, nil},
		{"identity", func(v string) string { return "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03" + v }, nil},
		{"version", func(v string) string {
			return "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83" + v + salt + sum
		}, nil},
		{"salt", func(v string) string {
			return "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83 02" + v + sum
		}, nil},
		{"sum", func(v string) string {
			return "a4" + hExp + hIat + hCti + hOffKey + "a3" + hColour + hKind + "03 83 02" + salt + v
		}, nil},
	}
	for _, p := range positions {
		for name, v := range wrongTypes {
			if p.ok[name] {
				continue // an empty offcode claim is a map: missing members
			}
			_, err := UnmarshalClaims(hx(p.mk(v)))
			if !errors.Is(err, ErrClaim) {
				t.Errorf("UnmarshalClaims(%s = %s) = %v, want %v", p.name, name, err, ErrClaim)
			}
		}
	}
}

// TestUnknownKeyEveryType adds a key of each type to each map of the
// payload: the verdict is unknown_claim every time (SPEC.md §3.5 rule 9).
func TestUnknownKeyEveryType(t *testing.T) {
	keys := map[string]string{
		"uint 5": "05", "negative": "20", "beyond 64 bits": "3bffffffffffffffff", "bytes": "4104", "text": "6161",
		"array": "8104", "map": "a10404", "tagged 4": "c104", "bignum": "c24104", "null": "f6", "true": "f5",
		"simple(0)": "e0", "float": "f94400",
	}
	for name, k := range keys {
		top := "a5" + hExp + hIat + hCti + hOffKey + hInner + k + "00"
		if _, err := UnmarshalClaims(hx(top)); !errors.Is(err, ErrUnknownClaim) {
			t.Errorf("UnmarshalClaims(top-level key %s) = %v, want %v", name, err, ErrUnknownClaim)
		}
		inner := "a4" + hExp + hIat + hCti + hOffKey + "a4" + hColour + hKind + hIdent + k + "00"
		if _, err := UnmarshalClaims(hx(inner)); !errors.Is(err, ErrUnknownClaim) {
			t.Errorf("UnmarshalClaims(offcode key %s) = %v, want %v", name, err, ErrUnknownClaim)
		}
	}
}

// TestWrongTypeHeaders replaces alg and kid by each wrong type, and puts
// each in the unprotected header under label 4.
func TestWrongTypeHeaders(t *testing.T) {
	kid := "48" + "0001020304050607"
	for name, v := range wrongTypes {
		var k KeyID
		if err := parseProtected(hx("a2 01"+v+"04"+kid), &k); !errors.Is(err, ErrAlgorithm) {
			t.Errorf("parseProtected(alg %s) = %v, want %v", name, err, ErrAlgorithm)
		}
		if err := parseProtected(hx("a2 01 27 04"+v), &k); !errors.Is(err, ErrHeader) {
			t.Errorf("parseProtected(kid %s) = %v, want %v", name, err, ErrHeader)
		}
		sig := make([]byte, SignatureSize)
		msg := cat(hx("84"), bstr(testProt), hx("a1 04"+v), bstr(hx(hClaims)), bstr(sig))
		if err := parseCOSE(cat(hx("d2"), msg), new(Code)); !errors.Is(err, ErrHeader) {
			t.Errorf("parseCOSE(unprotected {4: %s}) = %v, want %v", name, err, ErrHeader)
		}
		envelope := cat(hx("84"), hx(v), hx("a0"), bstr(hx(hClaims)), bstr(sig))
		if err := parseCOSE(cat(hx("d2"), envelope), new(Code)); !errors.Is(err, ErrMalformed) {
			t.Errorf("parseCOSE(protected = %s) = %v, want %v", name, err, ErrMalformed)
		}
	}
}

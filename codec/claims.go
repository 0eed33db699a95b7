package codec

import (
	"errors"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/offcode/offcode/identity"
)

// Colour is the health colour decided by the health authority (SPEC.md §4.2).
type Colour uint8

// The colours, with their wire values.
const (
	Green  Colour = 0
	Yellow Colour = 1
	Red    Colour = 2
)

var colourNames = [...]string{"green", "yellow", "red"}

// String returns "green", "yellow" or "red", or "colour(N)" for an invalid value.
func (c Colour) String() string {
	if int(c) < len(colourNames) {
		return colourNames[c]
	}
	return fmt.Sprintf("colour(%d)", uint8(c))
}

// Valid reports whether c is one of Green, Yellow and Red.
func (c Colour) Valid() bool { return int(c) < len(colourNames) }

// ParseColour parses "green", "yellow" or "red".
func ParseColour(s string) (Colour, error) {
	for i, n := range colourNames {
		if s == n {
			return Colour(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q: want green, yellow or red", errInvalidColour, s)
}

// MarshalText implements encoding.TextMarshaler.
func (c Colour) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("%w %d", errInvalidColour, uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Colour) UnmarshalText(b []byte) error {
	v, err := ParseColour(string(b))
	if err == nil {
		*c = v
	}
	return err
}

// Kind is the kind of code: a personal code, or a kinship code (亲属码)
// applied for by a family member (SPEC.md §4.2).
type Kind uint8

// The kinds, with their wire values.
const (
	Personal Kind = 0
	Kin      Kind = 1
)

var kindNames = [...]string{"personal", "kin"}

// String returns "personal" or "kin", or "kind(N)" for an invalid value.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Valid reports whether k is Personal or Kin.
func (k Kind) Valid() bool { return int(k) < len(kindNames) }

// ParseKind parses "personal" or "kin".
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if s == n {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q: want personal or kin", errInvalidKind, s)
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w %d", errInvalidKind, uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err == nil {
		*k = v
	}
	return err
}

// Claim keys (SPEC.md §4.1).
const (
	claimExp      = 4
	claimIat      = 6
	claimCti      = 7
	claimOffcode  = -65537
	hcColour      = 1
	hcKind        = 2
	hcIdentity    = 3
	SerialSize    = 12
	MaxValidity   = 7 * 24 * time.Hour
	maxNumericDay = 253402300799 // 9999-12-31T23:59:59Z
)

// Claims is the payload of an offline code (SPEC.md §4).
type Claims struct {
	IssuedAt  time.Time // iat; whole seconds
	ExpiresAt time.Time // exp; whole seconds
	Serial    [SerialSize]byte
	Colour    Colour
	Kind      Kind
	Identity  identity.Hash
}

// wire types; field order does not matter, the encoder sorts keys.
type wireClaims struct {
	Exp     uint64   `cbor:"4,keyasint"`
	Iat     uint64   `cbor:"6,keyasint"`
	Cti     []byte   `cbor:"7,keyasint"`
	Offcode wireCode `cbor:"-65537,keyasint"`
}

type wireCode struct {
	Colour   uint64       `cbor:"1,keyasint"`
	Kind     uint64       `cbor:"2,keyasint"`
	Identity wireIdentity `cbor:"3,keyasint"`
}

type wireIdentity struct {
	_       struct{} `cbor:",toarray"`
	Version uint64
	Salt    []byte
	Sum     []byte
}

// Validate checks that c can be encoded: colour and kind in range, times in
// range with ExpiresAt after IssuedAt, and a known identity hash version.
// It does not bound the window to MaxValidity: that is a verification rule
// (SPEC.md §7), and the test vectors need longer windows encoded. Errors
// wrap ErrClaim.
func (c *Claims) Validate() error {
	iat, exp := c.IssuedAt.Unix(), c.ExpiresAt.Unix()
	return checkClaims(iat, exp, uint64(c.Colour), uint64(c.Kind), uint64(c.Identity.Version))
}

func checkClaims(iat, exp int64, colour, kind, version uint64) error {
	switch {
	case iat < 0 || iat > maxNumericDay:
		return wrap(ErrClaim, "iat %d out of range", iat)
	case exp < 0 || exp > maxNumericDay:
		return wrap(ErrClaim, "exp %d out of range", exp)
	case exp <= iat:
		return wrap(ErrClaim, "exp %d is not after iat %d", exp, iat)
	case colour >= uint64(len(colourNames)):
		return wrap(ErrClaim, "colour %d out of range", colour)
	case kind >= uint64(len(kindNames)):
		return wrap(ErrClaim, "kind %d out of range", kind)
	case version != identity.HashVersion1:
		return wrap(ErrClaim, "identity hash version %d unknown", version)
	}
	return nil
}

// MarshalClaims returns the deterministic CBOR encoding of c. It does not
// check the validity window; use Validate for that. Values out of the wire
// ranges are an error.
func MarshalClaims(c *Claims) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return encMode.Marshal(c.wire())
}

func (c *Claims) wire() *wireClaims {
	return &wireClaims{
		Exp: uint64(c.ExpiresAt.Unix()),
		Iat: uint64(c.IssuedAt.Unix()),
		Cti: c.Serial[:],
		Offcode: wireCode{
			Colour: uint64(c.Colour),
			Kind:   uint64(c.Kind),
			Identity: wireIdentity{
				Version: uint64(c.Identity.Version),
				Salt:    c.Identity.Salt[:],
				Sum:     c.Identity.Sum[:],
			},
		},
	}
}

// UnmarshalClaims decodes a payload strictly (SPEC.md §8 step 6): exactly
// one well-formed item in deterministic encoding, no duplicate keys, every
// claim present, no unknown claim, every value of the right type and range.
func UnmarshalClaims(b []byte) (Claims, error) {
	var w wireClaims
	if err := decMode.Unmarshal(b, &w); err != nil {
		return Claims{}, classify(err, ErrClaim, ErrUnknownClaim)
	}
	if err := checkCanonical(b, &w, diagnoseClaims); err != nil {
		return Claims{}, err
	}
	if len(w.Cti) != SerialSize {
		return Claims{}, wrap(ErrClaim, "cti is %d bytes, want %d", len(w.Cti), SerialSize)
	}
	id := &w.Offcode.Identity
	if len(id.Salt) != identity.SaltSize || len(id.Sum) != identity.SumSize {
		return Claims{}, wrap(ErrClaim, "identity salt and hash are %d and %d bytes, want %d and %d",
			len(id.Salt), len(id.Sum), identity.SaltSize, identity.SumSize)
	}
	if w.Iat > maxNumericDay || w.Exp > maxNumericDay {
		return Claims{}, wrap(ErrClaim, "iat %d or exp %d out of range", w.Iat, w.Exp)
	}
	if err := checkClaims(int64(w.Iat), int64(w.Exp), w.Offcode.Colour, w.Offcode.Kind, id.Version); err != nil {
		return Claims{}, err
	}
	c := Claims{
		IssuedAt:  time.Unix(int64(w.Iat), 0).UTC(),
		ExpiresAt: time.Unix(int64(w.Exp), 0).UTC(),
		Colour:    Colour(w.Offcode.Colour),
		Kind:      Kind(w.Offcode.Kind),
		Identity:  identity.Hash{Version: uint8(id.Version)},
	}
	copy(c.Serial[:], w.Cti)
	copy(c.Identity.Salt[:], id.Salt)
	copy(c.Identity.Sum[:], id.Sum)
	return c, nil
}

// diagnoseClaims explains why a well-formed payload without duplicate or
// unknown keys did not re-encode to itself: a null value, a missing claim,
// or else a non-deterministic encoding.
func diagnoseClaims(b []byte) error {
	if hasNull(b) {
		return wrap(ErrClaim, "payload holds null or undefined")
	}
	var top map[int64]cbor.RawMessage
	if err := decMode.Unmarshal(b, &top); err != nil {
		return wrap(ErrMalformed, "payload: %v", err)
	}
	for _, k := range []int64{claimExp, claimIat, claimCti, claimOffcode} {
		if _, ok := top[k]; !ok {
			return wrap(ErrMissingClaim, "claim %d", k)
		}
	}
	var hc map[int64]cbor.RawMessage
	if err := decMode.Unmarshal(top[claimOffcode], &hc); err != nil {
		return wrap(ErrMalformed, "offcode claim: %v", err)
	}
	for _, k := range []int64{hcColour, hcKind, hcIdentity} {
		if _, ok := hc[k]; !ok {
			return wrap(ErrMissingClaim, "offcode claim member %d", k)
		}
	}
	var arr []cbor.RawMessage
	if err := decMode.Unmarshal(hc[hcIdentity], &arr); err == nil && len(arr) != 3 {
		return wrap(ErrClaim, "identity array has %d elements, want 3", len(arr))
	}
	return wrap(ErrNonCanonical, "payload does not re-encode to itself")
}

// errorsAs is errors.As with a type parameter.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}

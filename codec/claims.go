package codec

import (
	"fmt"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
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

// valid reports whether c is one of Green, Yellow and Red.
func (c Colour) valid() bool { return int(c) < len(colourNames) }

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
	if !c.valid() {
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

// valid reports whether k is Personal or Kin.
func (k Kind) valid() bool { return int(k) < len(kindNames) }

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
	if !k.valid() {
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
	maxNumericDay = 253402300799 // 9999-12-31T23:59:59Z
)

// SerialSize is the size of a code's serial number, the cti claim (SPEC.md
// §4.1).
const SerialSize = 12

// MaxValidity is the longest validity window, exp - iat, a verifier accepts
// (SPEC.md §7).
const MaxValidity = 7 * 24 * time.Hour

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
// (SPEC.md §7), and the test vectors need longer windows encoded. Its
// verdict (verify.VerdictOf) is bad_claim.
func (c *Claims) Validate() error {
	iat, exp := c.IssuedAt.Unix(), c.ExpiresAt.Unix()
	if err := checkClaims(iat, exp, uint64(c.Colour), uint64(c.Kind), uint64(c.Identity.Version)); err != nil {
		return err
	}
	if !format.ValidSum(c.Identity.Sum[:]) {
		return wrap(format.ErrClaim, "identity digest has bits set beyond its first %d", format.SumBits)
	}
	return nil
}

func checkClaims(iat, exp int64, colour, kind, version uint64) error {
	switch {
	case iat < 0 || iat > maxNumericDay:
		return wrap(format.ErrClaim, "iat %d out of range", iat)
	case exp < 0 || exp > maxNumericDay:
		return wrap(format.ErrClaim, "exp %d out of range", exp)
	case exp <= iat:
		return wrap(format.ErrClaim, "exp %d is not after iat %d", exp, iat)
	case colour >= uint64(len(colourNames)):
		return wrap(format.ErrClaim, "colour %d out of range", colour)
	case kind >= uint64(len(kindNames)):
		return wrap(format.ErrClaim, "kind %d out of range", kind)
	case version != format.HashVersion:
		return wrap(format.ErrClaim, "identity hash version %d unknown", version)
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

// unmarshalClaims decodes a payload strictly (SPEC.md §8 step 6): exactly
// one well-formed item in deterministic encoding, no duplicate keys, every
// claim present, no unknown claim, every value of the right type and range.
// The checks are made in the order of step 6, each over the whole payload.
func unmarshalClaims(b []byte) (Claims, error) {
	if len(b) == 0 {
		return Claims{}, wrap(format.ErrMalformed, "payload is empty")
	}
	it, err := readItem(b)
	if err != nil {
		return Claims{}, err
	}
	var p payloadNodes
	if err := p.find(it); err != nil {
		return Claims{}, err
	}
	if !it.isCanonical() {
		return Claims{}, wrap(format.ErrNonCanonical, "payload is not in deterministic encoding")
	}
	cti, salt, sum := it.content(p.cti), it.content(p.id[1]), it.content(p.id[2])
	exp, iat := it.nodes[p.exp].arg, it.nodes[p.iat].arg
	if len(cti) != SerialSize {
		return Claims{}, wrap(format.ErrClaim, "cti is %d bytes, want %d", len(cti), SerialSize)
	}
	if len(salt) != identity.SaltSize || len(sum) != format.SumSize {
		return Claims{}, wrap(format.ErrClaim, "identity salt and digest are %d and %d bytes, want %d and %d",
			len(salt), len(sum), identity.SaltSize, format.SumSize)
	}
	if iat > maxNumericDay || exp > maxNumericDay {
		return Claims{}, wrap(format.ErrClaim, "iat %d or exp %d out of range", iat, exp)
	}
	colour, kind, version := it.nodes[p.colour].arg, it.nodes[p.kind].arg, it.nodes[p.id[0]].arg
	if err := checkClaims(int64(iat), int64(exp), colour, kind, version); err != nil {
		return Claims{}, err
	}
	if !format.ValidSum(sum) {
		return Claims{}, wrap(format.ErrClaim, "identity digest has bits set beyond its first %d", format.SumBits)
	}
	c := Claims{
		IssuedAt:  time.Unix(int64(iat), 0).UTC(),
		ExpiresAt: time.Unix(int64(exp), 0).UTC(),
		Colour:    Colour(colour),
		Kind:      Kind(kind),
		Identity:  identity.Hash{Version: uint8(version)},
	}
	copy(c.Serial[:], cti)
	copy(c.Identity.Salt[:], salt)
	copy(c.Identity.Sum[:], sum)
	return c, nil
}

// payloadNodes are the node indexes of the claims, -1 where absent.
type payloadNodes struct {
	exp, iat, cti, offcode, colour, kind, identity int
	id                                             [3]int // version, salt, sum
}

// find checks the types, keys and presence of the claims (SPEC.md §8 steps
// 6.2-6.4, in that order) and records where they are.
func (p *payloadNodes) find(it *items) error {
	*p = payloadNodes{-1, -1, -1, -1, -1, -1, -1, [3]int{-1, -1, -1}}
	if it.nodes[0].major != majorMap {
		return wrap(format.ErrClaim, "payload is not a map")
	}
	// Step 6.2: the type of every claim of SPEC.md §4.1 that is present.
	unknown := false
	it.pairs(0, func(k, v int) bool {
		switch {
		case it.isInt(k, claimExp):
			p.exp = v
		case it.isInt(k, claimIat):
			p.iat = v
		case it.isInt(k, claimCti):
			p.cti = v
		case it.isInt(k, claimOffcode):
			p.offcode = v
		default:
			unknown = true
		}
		return true
	})
	for _, c := range []struct {
		at    int
		major byte
		name  string
	}{{p.exp, majorUint, "exp"}, {p.iat, majorUint, "iat"}, {p.cti, majorBytes, "cti"}, {p.offcode, majorMap, "the offcode claim"}} {
		if c.at >= 0 && it.nodes[c.at].major != c.major {
			return wrap(format.ErrClaim, "%s has the wrong CBOR type", c.name)
		}
	}
	if p.offcode >= 0 {
		it.pairs(p.offcode, func(k, v int) bool {
			switch {
			case it.isInt(k, hcColour):
				p.colour = v
			case it.isInt(k, hcKind):
				p.kind = v
			case it.isInt(k, hcIdentity):
				p.identity = v
			default:
				unknown = true
			}
			return true
		})
		for _, c := range []struct {
			at   int
			name string
		}{{p.colour, "colour"}, {p.kind, "kind"}} {
			if c.at >= 0 && it.nodes[c.at].major != majorUint {
				return wrap(format.ErrClaim, "%s has the wrong CBOR type", c.name)
			}
		}
		if p.identity >= 0 {
			if n := it.nodes[p.identity]; n.major != majorArray || n.arg != 3 {
				return wrap(format.ErrClaim, "identity hash is not an array of 3")
			}
			it.elems(p.identity, p.id[:0])
			for i, want := range [3]byte{majorUint, majorBytes, majorBytes} {
				if it.nodes[p.id[i]].major != want {
					return wrap(format.ErrClaim, "identity hash element %d has the wrong CBOR type", i+1)
				}
			}
		}
	}
	// Step 6.3.
	if unknown {
		return wrap(format.ErrUnknownClaim, "a key not defined by SPEC.md §4.1")
	}
	// Step 6.4.
	for _, c := range []struct {
		at   int
		name string
	}{{p.exp, "exp (4)"}, {p.iat, "iat (6)"}, {p.cti, "cti (7)"}, {p.offcode, "the offcode claim (-65537)"}} {
		if c.at < 0 {
			return wrap(format.ErrMissingClaim, "claim %s", c.name)
		}
	}
	for _, c := range []struct {
		at   int
		name string
	}{{p.colour, "colour (1)"}, {p.kind, "kind (2)"}, {p.identity, "identity (3)"}} {
		if c.at < 0 {
			return wrap(format.ErrMissingClaim, "offcode claim member %s", c.name)
		}
	}
	return nil
}

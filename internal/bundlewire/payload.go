package bundlewire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/offcode/offcode/internal/detcbor"
)

// MaxKeys bounds the issuer keys of a bundle (SPEC.md §13.4).
const MaxKeys = 1024

// Sizes of the entries of the revocation lists (SPEC.md §13.6): a
// truncated hash, and an identity entry (a hash and a big-endian uint32
// NumericDate).
const (
	HashSize          = 8
	IdentityEntrySize = HashSize + 4
)

// Payload is a bundle payload field by field (SPEC.md §13.4). Its lists are
// the raw byte strings of the wire.
type Payload struct {
	Version    uint64 `cbor:"1,keyasint"`
	Sequence   uint64 `cbor:"2,keyasint"`
	IssuedAt   uint64 `cbor:"3,keyasint"`
	ExpiresAt  uint64 `cbor:"4,keyasint"`
	Keys       []Key  `cbor:"5,keyasint"`
	Serials    []byte `cbor:"6,keyasint"`
	Identities []byte `cbor:"7,keyasint"`
	Delta      *Delta `cbor:"8,keyasint,omitempty"`
}

// Key is an issuer key of a payload (SPEC.md §13.5).
type Key struct {
	Kid       []byte   `cbor:"1,keyasint"`
	Public    []byte   `cbor:"2,keyasint"`
	NotBefore uint64   `cbor:"3,keyasint"`
	NotAfter  uint64   `cbor:"4,keyasint"`
	Kinds     []uint64 `cbor:"5,keyasint"`
	Status    uint64   `cbor:"6,keyasint"`
	Issuer    string   `cbor:"7,keyasint,omitempty"`
}

// Delta is the delta field of a payload (SPEC.md §13.7).
type Delta struct {
	Since             uint64 `cbor:"1,keyasint"`
	Result            []byte `cbor:"2,keyasint"`
	RemovedSerials    []byte `cbor:"3,keyasint"`
	RemovedIdentities []byte `cbor:"4,keyasint"`
}

// The deterministic encoder and the strict decoder, shared with codec.
var (
	encMode = detcbor.EncMode()
	decMode = detcbor.DecMode(detcbor.Limits{MaxNestedLevels: 8, MaxArrayElements: MaxKeys, MaxMapPairs: 16})
)

// Encode returns the deterministic encoding of p. It does not check p.
func Encode(p *Payload) ([]byte, error) { return encMode.Marshal(p) }

// Decode decodes a payload strictly (SPEC.md §13.3): no unknown field, no
// duplicate key, no indefinite length, no tag, no simple or floating-point
// value, and the encoding the deterministic one, so that a missing field
// cannot pass for its zero value. It checks nothing of what the fields
// mean. The byte strings alias p.
func Decode(p []byte) (*Payload, error) {
	var w Payload
	if err := decMode.Unmarshal(p, &w); err != nil {
		return nil, fmt.Errorf("payload: %v", err)
	}
	if off, ok := findSimple(p, 0); ok {
		return nil, fmt.Errorf("payload holds a simple value or a floating-point number at byte %d (null is not an empty list, SPEC.md §13.3)", off)
	}
	re, err := encMode.Marshal(&w)
	if err != nil || !bytes.Equal(re, p) {
		return nil, errors.New("payload does not re-encode to itself (a field is missing or the encoding is not deterministic)")
	}
	return &w, nil
}

// Subtract returns the entries of a, each w bytes long and sorted by their
// first 8 bytes, that are not in b with the same w bytes.
func Subtract(a, b []byte, w int) []byte {
	out := []byte{}
	j := 0
	for i := 0; i < len(a); i += w {
		ka := binary.BigEndian.Uint64(a[i:])
		for j < len(b) && binary.BigEndian.Uint64(b[j:]) < ka {
			j += w
		}
		if j < len(b) && string(b[j:j+w]) == string(a[i:i+w]) {
			continue
		}
		out = append(out, a[i:i+w]...)
	}
	return out
}

// findSimple walks the well-formed, definite-length CBOR item at p[off:]
// and returns the offset of the first item of major type 7 in it (false,
// true, null, undefined, simple(n), a floating-point number). The strict
// decoder would turn such a value into the zero value of the field, and the
// encoder would write an empty list back as null, so the re-encoding check
// cannot see it (SPEC.md §13.3). It returns the item's end when none is
// found; ok is false then.
func findSimple(p []byte, off int) (at int, ok bool) {
	_, at, ok = walkSimple(p, off)
	return at, ok
}

func walkSimple(p []byte, off int) (end, at int, found bool) {
	if off >= len(p) {
		return len(p), 0, false
	}
	major, ai := p[off]>>5, p[off]&0x1f
	if major == 7 {
		return off, off, true
	}
	var n uint64
	h := 1
	switch {
	case ai < 24:
		n = uint64(ai)
	case ai <= 27:
		w := 1 << (ai - 24)
		if off+1+w > len(p) {
			return len(p), 0, false
		}
		for _, c := range p[off+1 : off+1+w] {
			n = n<<8 | uint64(c)
		}
		h += w
	default:
		return len(p), 0, false
	}
	off += h
	switch major {
	case 2, 3:
		if n > uint64(len(p)-off) {
			return len(p), 0, false
		}
		return off + int(n), 0, false
	case 4, 5:
		if major == 5 {
			n *= 2
		}
		for i := uint64(0); i < n; i++ {
			if off, at, found = walkSimple(p, off); found || off >= len(p) && i+1 < n {
				return off, at, found
			}
		}
		return off, 0, false
	case 6:
		return walkSimple(p, off)
	}
	return off, 0, false
}

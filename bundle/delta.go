package bundle

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/offcode/offcode/internal/bundlewire"
)

// NewDelta returns the delta bundle that turns from, a full bundle, into
// to, a full bundle with a higher sequence (SPEC.md §13.7). Sign it like a
// full bundle.
func NewDelta(from, to *Bundle) (*Bundle, error) {
	if from.Delta != nil || to.Delta != nil {
		return nil, fmt.Errorf("bundle: NewDelta needs two full bundles")
	}
	if to.Sequence <= from.Sequence {
		return nil, fmt.Errorf("bundle: delta from sequence %d to %d goes backwards", from.Sequence, to.Sequence)
	}
	digest, err := payloadDigest(to)
	if err != nil {
		return nil, err
	}
	d := *to
	d.Keys = slices.Clone(to.Keys)
	d.serials = hashList{bundlewire.Subtract(to.serials.b, from.serials.b, hashSize)}
	d.identities = identityList{bundlewire.Subtract(to.identities.b, from.identities.b, identityEntrySize)}
	// An identity entry is removed if its hash is gone or its time changed.
	removedIDs := bundlewire.Subtract(from.identities.b, to.identities.b, identityEntrySize)
	var hashes []byte
	for i := 0; i < len(removedIDs); i += identityEntrySize {
		hashes = append(hashes, removedIDs[i:i+hashSize]...)
	}
	d.Delta = &Delta{
		Since:             from.Sequence,
		Result:            digest,
		removedSerials:    hashList{bundlewire.Subtract(from.serials.b, to.serials.b, hashSize)},
		removedIdentities: hashList{nonNil(hashes)},
	}
	return &d, nil
}

// apply applies the delta bundle d to b, the full bundle a device holds,
// and returns the full bundle d stands for (SPEC.md §13.7 steps 2-4).
// Errors wrap ErrDeltaMismatch. It does not check d's signature: Open d
// first.
func (b *Bundle) apply(d *Bundle) (*Bundle, error) {
	if d.Delta == nil {
		return nil, fmt.Errorf("%w: not a delta bundle", ErrDeltaMismatch)
	}
	if b.Delta != nil {
		return nil, fmt.Errorf("%w: the bundle held is itself a delta", ErrDeltaMismatch)
	}
	if d.Delta.Since != b.Sequence {
		return nil, fmt.Errorf("%w: delta is since sequence %d, held is %d", ErrDeltaMismatch, d.Delta.Since, b.Sequence)
	}
	serials, err := merge(b.serials.b, d.Delta.removedSerials.b, d.serials.b, hashSize)
	if err != nil {
		return nil, fmt.Errorf("%w: revoked serials: %v", ErrDeltaMismatch, err)
	}
	ids, err := merge(b.identities.b, d.Delta.removedIdentities.b, d.identities.b, identityEntrySize)
	if err != nil {
		return nil, fmt.Errorf("%w: revoked identities: %v", ErrDeltaMismatch, err)
	}
	full := *d
	full.Delta = nil
	full.Keys = slices.Clone(d.Keys)
	full.serials = hashList{serials}
	full.identities = identityList{ids}
	p, err := MarshalPayload(&full)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDeltaMismatch, err)
	}
	if sha256.Sum256(p) != d.Delta.Result {
		return nil, fmt.Errorf("%w: the result's digest differs from the one signed", ErrDeltaMismatch)
	}
	return ParsePayload(p)
}

// merge returns (held minus removed) plus added, for entries of width w
// keyed by their first 8 bytes; removed holds keys only. Every removed key
// must be held, and every added key absent after the removal.
func merge(held, removed, added []byte, w int) ([]byte, error) {
	out := make([]byte, 0, len(held)+len(added))
	i, r, a := 0, 0, 0
	key := func(b []byte, at int) uint64 { return binary.BigEndian.Uint64(b[at:]) }
	for i < len(held) || a < len(added) {
		switch {
		case i < len(held) && r < len(removed) && key(held, i) == key(removed, r):
			i += w
			r += hashSize
		case r < len(removed) && (i >= len(held) || key(removed, r) < key(held, i)):
			return nil, fmt.Errorf("removed entry %x is not held", removed[r:r+hashSize])
		case a < len(added) && (i >= len(held) || key(added, a) < key(held, i)):
			out = append(out, added[a:a+w]...)
			a += w
		case a < len(added) && key(added, a) == key(held, i):
			return nil, fmt.Errorf("added entry %x is already held", added[a:a+hashSize])
		default:
			out = append(out, held[i:i+w]...)
			i += w
		}
	}
	if r < len(removed) {
		return nil, fmt.Errorf("removed entry %x is not held", removed[r:r+hashSize])
	}
	return out, nil
}

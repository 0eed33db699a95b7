package bundle

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
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
	digest, err := PayloadDigest(to)
	if err != nil {
		return nil, err
	}
	d := *to
	d.Keys = slices.Clone(to.Keys)
	d.Serials = HashList{diff(to.Serials.b, from.Serials.b, HashSize, HashSize)}
	d.Identities = IdentityList{diff(to.Identities.b, from.Identities.b, identityEntrySize, identityEntrySize)}
	// An identity entry is removed if its hash is gone or its time changed.
	removedIDs := diff(from.Identities.b, to.Identities.b, identityEntrySize, identityEntrySize)
	var hashes []byte
	for i := 0; i < len(removedIDs); i += identityEntrySize {
		hashes = append(hashes, removedIDs[i:i+HashSize]...)
	}
	d.Delta = &Delta{
		Since:             from.Sequence,
		Result:            digest,
		RemovedSerials:    HashList{diff(from.Serials.b, to.Serials.b, HashSize, HashSize)},
		RemovedIdentities: HashList{nonNil(hashes)},
	}
	return &d, nil
}

// diff returns the entries of a (width w, sorted by their first 8 bytes)
// that are not in b with the same first cmp bytes.
func diff(a, b []byte, w, cmp int) []byte {
	out := []byte{}
	j := 0
	for i := 0; i < len(a); i += w {
		ka := binary.BigEndian.Uint64(a[i:])
		for j < len(b) && binary.BigEndian.Uint64(b[j:]) < ka {
			j += w
		}
		if j < len(b) && string(b[j:j+cmp]) == string(a[i:i+cmp]) {
			continue
		}
		out = append(out, a[i:i+w]...)
	}
	return out
}

// Apply applies the delta bundle d to b, the full bundle a device holds,
// and returns the full bundle d stands for (SPEC.md §13.7 steps 2-4).
// Errors wrap ErrDeltaMismatch. It does not check d's signature: Open d
// first.
func (b *Bundle) Apply(d *Bundle) (*Bundle, error) {
	if d.Delta == nil {
		return nil, fmt.Errorf("%w: not a delta bundle", ErrDeltaMismatch)
	}
	if b.Delta != nil {
		return nil, fmt.Errorf("%w: the bundle held is itself a delta", ErrDeltaMismatch)
	}
	if d.Delta.Since != b.Sequence {
		return nil, fmt.Errorf("%w: delta is since sequence %d, held is %d", ErrDeltaMismatch, d.Delta.Since, b.Sequence)
	}
	serials, err := merge(b.Serials.b, d.Delta.RemovedSerials.b, d.Serials.b, HashSize)
	if err != nil {
		return nil, fmt.Errorf("%w: revoked serials: %v", ErrDeltaMismatch, err)
	}
	ids, err := merge(b.Identities.b, d.Delta.RemovedIdentities.b, d.Identities.b, identityEntrySize)
	if err != nil {
		return nil, fmt.Errorf("%w: revoked identities: %v", ErrDeltaMismatch, err)
	}
	full := *d
	full.Delta = nil
	full.Keys = slices.Clone(d.Keys)
	full.Serials = HashList{serials}
	full.Identities = IdentityList{ids}
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
			r += HashSize
		case r < len(removed) && (i >= len(held) || key(removed, r) < key(held, i)):
			return nil, fmt.Errorf("removed entry %x is not held", removed[r:r+HashSize])
		case a < len(added) && (i >= len(held) || key(added, a) < key(held, i)):
			out = append(out, added[a:a+w]...)
			a += w
		case a < len(added) && key(added, a) == key(held, i):
			return nil, fmt.Errorf("added entry %x is already held", added[a:a+HashSize])
		default:
			out = append(out, held[i:i+w]...)
			i += w
		}
	}
	if r < len(removed) {
		return nil, fmt.Errorf("removed entry %x is not held", removed[r:r+HashSize])
	}
	return out, nil
}

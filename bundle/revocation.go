package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// Sizes of revocation entries (SPEC.md §13.6).
const (
	// HashSize is the size of a truncated revocation hash.
	HashSize = 8
	// identityEntrySize is the size of an identity entry: a hash and a
	// big-endian uint32 NumericDate.
	identityEntrySize = HashSize + 4
	// MaxBefore is the latest "before" time an identity entry can hold.
	maxBefore = 1<<32 - 1
)

// Domain-separation tags of the revocation hashes (SPEC.md §13.6).
const (
	serialTag   = "offcode/revoke/serial/v1"
	identityTag = "offcode/revoke/identity/v1"
)

// Entry is a truncated revocation hash.
type Entry [HashSize]byte

// SerialEntry returns the revocation entry of the code with serial serial
// issued under the key kid (SPEC.md §13.6).
func SerialEntry(kid codec.KeyID, serial [codec.SerialSize]byte) Entry {
	var buf [len(serialTag) + codec.KeyIDSize + codec.SerialSize]byte
	n := copy(buf[:], serialTag)
	n += copy(buf[n:], kid[:])
	copy(buf[n:], serial[:])
	sum := sha256.Sum256(buf[:])
	return Entry(sum[:HashSize])
}

// IdentityEntry returns the revocation entry of identity hash h (SPEC.md
// §13.6). Codes carry the same h only if the issuer reused the salt.
func IdentityEntry(h identity.Hash) Entry {
	var buf [len(identityTag) + 1 + identity.SaltSize + format.SumSize]byte
	n := copy(buf[:], identityTag)
	buf[n] = h.Version
	n++
	n += copy(buf[n:], h.Salt[:])
	copy(buf[n:], h.Sum[:])
	sum := sha256.Sum256(buf[:])
	return Entry(sum[:HashSize])
}

// HashList is a set of revocation entries: a byte string of 8-byte entries
// in ascending order, searched in place. The zero value is empty. A HashList
// is immutable; the methods that change it return a new one.
type HashList struct{ b []byte }

// NewHashList returns the set of entries, sorted, duplicates dropped.
func NewHashList(entries []Entry) HashList {
	s := slices.Clone(entries)
	slices.SortFunc(s, func(a, b Entry) int { return bytes.Compare(a[:], b[:]) })
	s = slices.Compact(s)
	b := make([]byte, 0, len(s)*HashSize)
	for _, e := range s {
		b = append(b, e[:]...)
	}
	return HashList{b}
}

// parseHashList checks that b is a list of sorted, unique 8-byte entries
// and returns it without copying.
func parseHashList(b []byte, what string) (HashList, error) {
	if len(b)%HashSize != 0 {
		return HashList{}, malformed("%s: %d bytes is not a multiple of %d", what, len(b), HashSize)
	}
	var prev uint64
	for i := 0; i < len(b); i += HashSize {
		v := binary.BigEndian.Uint64(b[i:])
		if i > 0 && v <= prev {
			return HashList{}, malformed("%s: entry %d is not above the one before it", what, i/HashSize)
		}
		prev = v
	}
	return HashList{b}, nil
}

// Len returns the number of entries.
func (l HashList) Len() int { return len(l.b) / HashSize }

// index returns the position of e, or where it would be inserted, and
// whether it is present. It allocates nothing.
func (l HashList) index(e Entry) (int, bool) { return search(l.b, HashSize, e) }

// search finds e among the entries of b, each size bytes long and led by an
// 8-byte big-endian hash, sorted by that hash. It returns the position of e,
// or where it would be inserted, and whether it is present. It allocates
// nothing.
func search(b []byte, size int, e Entry) (int, bool) {
	x := binary.BigEndian.Uint64(e[:])
	lo, hi := 0, len(b)/size
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		v := binary.BigEndian.Uint64(b[m*size:])
		switch {
		case v < x:
			lo = m + 1
		case v > x:
			hi = m
		default:
			return m, true
		}
	}
	return lo, false
}

// Contains reports whether e is in the list.
func (l HashList) Contains(e Entry) bool {
	_, ok := l.index(e)
	return ok
}

// With returns the list with e added.
func (l HashList) With(e Entry) HashList {
	i, ok := l.index(e)
	if ok {
		return l
	}
	b := make([]byte, 0, len(l.b)+HashSize)
	b = append(b, l.b[:i*HashSize]...)
	b = append(b, e[:]...)
	return HashList{append(b, l.b[i*HashSize:]...)}
}

// Without returns the list with e removed.
func (l HashList) Without(e Entry) HashList {
	i, ok := l.index(e)
	if !ok {
		return l
	}
	b := make([]byte, 0, len(l.b)-HashSize)
	b = append(b, l.b[:i*HashSize]...)
	return HashList{append(b, l.b[(i+1)*HashSize:]...)}
}

// IdentityList is a set of identity revocations (SPEC.md §13.6): 12-byte
// entries, an 8-byte hash and a big-endian uint32 "before" time, in
// ascending order of hash. The zero value is empty; it is immutable.
type IdentityList struct{ b []byte }

func parseIdentityList(b []byte) (IdentityList, error) {
	if len(b)%identityEntrySize != 0 {
		return IdentityList{}, malformed("revoked identities: %d bytes is not a multiple of %d", len(b), identityEntrySize)
	}
	var prev uint64
	for i := 0; i < len(b); i += identityEntrySize {
		v := binary.BigEndian.Uint64(b[i:])
		if i > 0 && v <= prev {
			return IdentityList{}, malformed("revoked identities: entry %d is not above the one before it", i/identityEntrySize)
		}
		prev = v
	}
	return IdentityList{b}, nil
}

// Len returns the number of entries.
func (l IdentityList) Len() int { return len(l.b) / identityEntrySize }

func (l IdentityList) index(e Entry) (int, bool) { return search(l.b, identityEntrySize, e) }

// Lookup returns the "before" time, as a NumericDate, of entry e, and
// whether e is listed.
func (l IdentityList) Lookup(e Entry) (before int64, ok bool) {
	i, ok := l.index(e)
	if !ok {
		return 0, false
	}
	return int64(binary.BigEndian.Uint32(l.b[i*identityEntrySize+HashSize:])), true
}

// With returns the list with e revoked before before, replacing an earlier
// entry for e. Before is truncated to the second and must lie between
// 1970 and 2106 (a uint32 NumericDate).
func (l IdentityList) With(e Entry, before time.Time) (IdentityList, error) {
	t := before.Unix()
	if t < 0 || t > maxBefore {
		return l, fmt.Errorf("bundle: revocation time %s out of range", stamp(before))
	}
	var rec [identityEntrySize]byte
	copy(rec[:], e[:])
	binary.BigEndian.PutUint32(rec[HashSize:], uint32(t))
	i, ok := l.index(e)
	b := make([]byte, 0, len(l.b)+identityEntrySize)
	b = append(b, l.b[:i*identityEntrySize]...)
	b = append(b, rec[:]...)
	if ok {
		i++
	}
	return IdentityList{append(b, l.b[i*identityEntrySize:]...)}, nil
}

// Without returns the list with the entry for e removed.
func (l IdentityList) Without(e Entry) IdentityList {
	i, ok := l.index(e)
	if !ok {
		return l
	}
	b := make([]byte, 0, len(l.b)-identityEntrySize)
	b = append(b, l.b[:i*identityEntrySize]...)
	return IdentityList{append(b, l.b[(i+1)*identityEntrySize:]...)}
}

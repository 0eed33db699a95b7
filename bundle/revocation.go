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
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/format"
)

// Sizes of revocation entries (SPEC.md §13.6).
const (
	// hashSize is the size of a truncated revocation hash.
	hashSize = bundlewire.HashSize
	// identityEntrySize is the size of an identity entry: a hash and a
	// big-endian uint32 NumericDate.
	identityEntrySize = bundlewire.IdentityEntrySize
	// maxBefore is the latest "before" time an identity entry can hold.
	maxBefore = 1<<32 - 1
)

// Domain-separation tags of the revocation hashes (SPEC.md §13.6).
const (
	serialTag   = "offcode/revoke/serial/v1"
	identityTag = "offcode/revoke/identity/v1"
)

// entry is a truncated revocation hash.
type entry [hashSize]byte

// serialEntry returns the revocation entry of the code with serial serial
// issued under the key kid (SPEC.md §13.6).
func serialEntry(kid codec.KeyID, serial [codec.SerialSize]byte) entry {
	var buf [len(serialTag) + codec.KeyIDSize + codec.SerialSize]byte
	n := copy(buf[:], serialTag)
	n += copy(buf[n:], kid[:])
	copy(buf[n:], serial[:])
	sum := sha256.Sum256(buf[:])
	return entry(sum[:hashSize])
}

// identityEntry returns the revocation entry of identity hash h (SPEC.md
// §13.6). Codes carry the same h only if the issuer reused the salt.
func identityEntry(h identity.Hash) entry {
	var buf [len(identityTag) + 1 + identity.SaltSize + format.SumSize]byte
	n := copy(buf[:], identityTag)
	buf[n] = h.Version
	n++
	n += copy(buf[n:], h.Salt[:])
	copy(buf[n:], h.Sum[:])
	sum := sha256.Sum256(buf[:])
	return entry(sum[:hashSize])
}

// hashList is a set of revocation entries: a byte string of 8-byte entries
// in ascending order, searched in place. The zero value is empty. A hashList
// is immutable; the methods that change it return a new one.
type hashList struct{ b []byte }

// newHashList returns the set of entries, sorted, duplicates dropped.
func newHashList(entries []entry) hashList {
	s := slices.Clone(entries)
	slices.SortFunc(s, func(a, b entry) int { return bytes.Compare(a[:], b[:]) })
	s = slices.Compact(s)
	b := make([]byte, 0, len(s)*hashSize)
	for _, e := range s {
		b = append(b, e[:]...)
	}
	return hashList{b}
}

// parseHashList checks that b is a list of sorted, unique 8-byte entries
// and returns it without copying.
func parseHashList(b []byte, what string) (hashList, error) {
	if len(b)%hashSize != 0 {
		return hashList{}, malformed("%s: %d bytes is not a multiple of %d", what, len(b), hashSize)
	}
	var prev uint64
	for i := 0; i < len(b); i += hashSize {
		v := binary.BigEndian.Uint64(b[i:])
		if i > 0 && v <= prev {
			return hashList{}, malformed("%s: entry %d is not above the one before it", what, i/hashSize)
		}
		prev = v
	}
	return hashList{b}, nil
}

// Len returns the number of entries.
func (l hashList) Len() int { return len(l.b) / hashSize }

// index returns the position of e, or where it would be inserted, and
// whether it is present. It allocates nothing.
func (l hashList) index(e entry) (int, bool) { return search(l.b, hashSize, e) }

// search finds e among the entries of b, each size bytes long and led by an
// 8-byte big-endian hash, sorted by that hash. It returns the position of e,
// or where it would be inserted, and whether it is present. It allocates
// nothing.
func search(b []byte, size int, e entry) (int, bool) {
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
func (l hashList) Contains(e entry) bool {
	_, ok := l.index(e)
	return ok
}

// With returns the list with e added.
func (l hashList) With(e entry) hashList {
	i, ok := l.index(e)
	if ok {
		return l
	}
	b := make([]byte, 0, len(l.b)+hashSize)
	b = append(b, l.b[:i*hashSize]...)
	b = append(b, e[:]...)
	return hashList{append(b, l.b[i*hashSize:]...)}
}

// Without returns the list with e removed.
func (l hashList) Without(e entry) hashList {
	i, ok := l.index(e)
	if !ok {
		return l
	}
	b := make([]byte, 0, len(l.b)-hashSize)
	b = append(b, l.b[:i*hashSize]...)
	return hashList{append(b, l.b[(i+1)*hashSize:]...)}
}

// identityList is a set of identity revocations (SPEC.md §13.6): 12-byte
// entries, an 8-byte hash and a big-endian uint32 "before" time, in
// ascending order of hash. The zero value is empty; it is immutable.
type identityList struct{ b []byte }

func parseIdentityList(b []byte) (identityList, error) {
	if len(b)%identityEntrySize != 0 {
		return identityList{}, malformed("revoked identities: %d bytes is not a multiple of %d", len(b), identityEntrySize)
	}
	var prev uint64
	for i := 0; i < len(b); i += identityEntrySize {
		v := binary.BigEndian.Uint64(b[i:])
		if i > 0 && v <= prev {
			return identityList{}, malformed("revoked identities: entry %d is not above the one before it", i/identityEntrySize)
		}
		prev = v
	}
	return identityList{b}, nil
}

// Len returns the number of entries.
func (l identityList) Len() int { return len(l.b) / identityEntrySize }

func (l identityList) index(e entry) (int, bool) { return search(l.b, identityEntrySize, e) }

// Lookup returns the "before" time, as a NumericDate, of entry e, and
// whether e is listed.
func (l identityList) Lookup(e entry) (before int64, ok bool) {
	i, ok := l.index(e)
	if !ok {
		return 0, false
	}
	return int64(binary.BigEndian.Uint32(l.b[i*identityEntrySize+hashSize:])), true
}

// With returns the list with e revoked before before, replacing an earlier
// entry for e. Before is truncated to the second and must lie between
// 1970 and 2106 (a uint32 NumericDate).
func (l identityList) With(e entry, before time.Time) (identityList, error) {
	t := before.Unix()
	if t < 0 || t > maxBefore {
		return l, fmt.Errorf("bundle: revocation time %s out of range", stamp(before))
	}
	var rec [identityEntrySize]byte
	copy(rec[:], e[:])
	binary.BigEndian.PutUint32(rec[hashSize:], uint32(t))
	i, ok := l.index(e)
	b := make([]byte, 0, len(l.b)+identityEntrySize)
	b = append(b, l.b[:i*identityEntrySize]...)
	b = append(b, rec[:]...)
	if ok {
		i++
	}
	return identityList{append(b, l.b[i*identityEntrySize:]...)}, nil
}

// Without returns the list with the entry for e removed.
func (l identityList) Without(e entry) identityList {
	i, ok := l.index(e)
	if !ok {
		return l
	}
	b := make([]byte, 0, len(l.b)-identityEntrySize)
	b = append(b, l.b[:i*identityEntrySize]...)
	return identityList{append(b, l.b[(i+1)*identityEntrySize:]...)}
}

// CodeRevoked reports whether b revokes the code c by its serial (SPEC.md
// §13.6). It allocates nothing.
func (b *Bundle) CodeRevoked(c *codec.Code) bool {
	return b.serials.Contains(serialEntry(c.KeyID, c.Claims.Serial))
}

// PersonRevoked reports whether b revokes the code c by the identity hash
// it carries: the person is listed with a time before, and c was issued
// before it (SPEC.md §13.6). It allocates nothing.
func (b *Bundle) PersonRevoked(c *codec.Code) (before time.Time, revoked bool) {
	t, ok := b.identities.Lookup(identityEntry(c.Claims.Identity))
	if !ok || c.Claims.IssuedAt.Unix() >= t {
		return time.Time{}, false
	}
	return time.Unix(t, 0).UTC(), true
}

// Revocations returns the number of codes and of people b revokes; for a
// delta bundle, the number it adds.
func (b *Bundle) Revocations() (codes, people int) {
	return b.serials.Len(), b.identities.Len()
}

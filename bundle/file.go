package bundle

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/readlimit"
)

// The root holder's files (SPEC.md §13.10). A draft is the unsigned payload
// of the next bundle, edited by AddKey, RetireKey, RevokeCode and the rest;
// signing it (Sign) makes the file devices get, after which the draft's
// sequence is raised.

// NewDraft returns an empty draft with sequence 1. Its times are
// placeholders: Sign's caller sets them when it signs.
func NewDraft(now time.Time) *Bundle {
	now = now.Truncate(time.Second).UTC()
	return &Bundle{Sequence: 1, IssuedAt: now, ExpiresAt: now.Add(time.Second)}
}

// ReadDraft reads a draft file. A signed bundle or a delta is not a draft.
func ReadDraft(path string) (*Bundle, error) {
	data, err := readlimit.File(path, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if isSigned(data) {
		return nil, fmt.Errorf("bundle: %s is a signed bundle, not a draft; edit the draft and sign it again", path)
	}
	b, err := ParsePayload(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if b.Delta != nil {
		return nil, fmt.Errorf("bundle: %s is a delta, not a draft", path)
	}
	return b, nil
}

// WriteDraft replaces the draft file at path atomically.
func WriteDraft(path string, b *Bundle) error {
	p, err := MarshalPayload(b)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, p, 0o644)
}

// isSigned reports whether data starts as a signed bundle (a tagged
// COSE_Sign1) rather than a draft (a payload map).
func isSigned(data []byte) bool { return len(data) > 0 && data[0] == 0xd2 }

// File is a bundle file read by ReadFile.
type File struct {
	Bundle *Bundle
	// Signed reports a signed bundle; Root is then the kid of the root
	// key that signed it, and Verified whether that signature was
	// checked.
	Signed, Verified bool
	Root             codec.KeyID
	// Size is the file's size in bytes.
	Size int
}

// ReadFile reads a signed bundle, full or delta, or a draft. With roots,
// only a signed bundle whose signature verifies under one of them is read
// (Open): a draft or any other file is an error. Without roots, a signed
// bundle's signature is not checked.
func ReadFile(path string, roots ...ed25519.PublicKey) (*File, error) {
	data, err := readlimit.File(path, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	f := &File{Size: len(data), Signed: isSigned(data)}
	switch {
	case len(roots) > 0:
		if !f.Signed {
			return nil, malformed("%s is not a signed bundle (it does not start with the COSE_Sign1 tag d2)", path)
		}
		e, err := ParseEnvelope(data)
		if err == nil {
			f.Root = e.KeyID
			f.Bundle, err = Open(data, roots...)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		f.Verified = true
	case f.Signed:
		e, err := ParseEnvelope(data)
		if err == nil {
			f.Root = e.KeyID
			f.Bundle, err = ParsePayload(e.Payload)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	default:
		if f.Bundle, err = ParsePayload(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return f, nil
}

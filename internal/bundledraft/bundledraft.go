// Package bundledraft holds the root holder's files around package bundle
// (SPEC.md §13.10): the draft, the unsigned payload of the next bundle that
// "offcode bundle" edits and signs; the reading of any bundle file, signed
// or not; the root key file; and what changed between two bundles.
package bundledraft

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/keyfile"
	"github.com/offcode/offcode/internal/readlimit"
)

// New returns an empty draft with sequence 1. Its times are placeholders:
// the signer sets them when it signs.
func New(now time.Time) *bundle.Bundle {
	now = now.Truncate(time.Second).UTC()
	return &bundle.Bundle{Sequence: 1, IssuedAt: now, ExpiresAt: now.Add(time.Second)}
}

// Read reads a draft file. A signed bundle or a delta is not a draft.
func Read(path string) (*bundle.Bundle, error) {
	data, err := readlimit.File(path, bundle.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if isSigned(data) {
		return nil, fmt.Errorf("bundle: %s is a signed bundle, not a draft; edit the draft and sign it again", path)
	}
	b, err := bundle.ParsePayload(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if b.Delta != nil {
		return nil, fmt.Errorf("bundle: %s is a delta, not a draft", path)
	}
	return b, nil
}

// Write replaces the draft file at path atomically.
func Write(path string, b *bundle.Bundle) error {
	p, err := bundle.MarshalPayload(b)
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
	Bundle *bundle.Bundle
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
// (bundle.Open): a draft or any other file is an error. Without roots, a
// signed bundle's signature is not checked. Errors of a file that is not
// a bundle wrap bundle.ErrMalformed.
func ReadFile(path string, roots ...ed25519.PublicKey) (*File, error) {
	data, err := readlimit.File(path, bundle.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	f := &File{Size: len(data), Signed: isSigned(data)}
	if len(roots) > 0 && !f.Signed {
		return nil, fmt.Errorf("%w: %s is not a signed bundle (it does not start with the COSE_Sign1 tag d2)", bundle.ErrMalformed, path)
	}
	if !f.Signed {
		if f.Bundle, err = bundle.ParsePayload(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return f, nil
	}
	e, err := bundlewire.ParseEnvelope(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, bundle.ErrMalformed, err)
	}
	f.Root = e.KeyID
	if len(roots) > 0 {
		f.Bundle, err = bundle.Open(data, roots...)
		f.Verified = err == nil
	} else {
		f.Bundle, err = bundle.ParsePayload(e.Payload)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// LoadRootKey reads a root key file (written by WriteRootKey). On Unix it
// refuses a file that group or others can read or write.
func LoadRootKey(path string) (*bundle.RootKey, error) {
	priv, err := keyfile.LoadPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: root key: %w", err)
	}
	return bundle.NewRootKey(priv), nil
}

// WriteRootKey writes priv to a new file at path with mode 0600, in the
// form of an issuer key file. It never overwrites: if path exists the error
// wraps fs.ErrExist.
func WriteRootKey(path string, priv ed25519.PrivateKey) error {
	if err := keyfile.WritePrivate(path, priv); err != nil {
		return fmt.Errorf("bundle: root key file: %w", err)
	}
	return nil
}

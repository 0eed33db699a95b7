package bundle

import (
	"bytes"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/verify"
)

// Verifier verifies codes under a full bundle (SPEC.md §13.9). It is safe
// for concurrent use as long as its fields and its bundle are not changed.
type Verifier struct {
	// Skew is as in verify.Verifier.
	Skew time.Duration
	// RefuseStale makes a code that would be valid under a stale bundle
	// (past its expiry) be refused with StaleTrust. By default such a code
	// is valid and the Result says how stale the bundle is.
	RefuseStale bool

	b     *Bundle
	inner *verify.Verifier
}

// NewVerifier returns a Verifier for the full bundle b with verify's
// DefaultSkew. It fails for a delta bundle.
func NewVerifier(b *Bundle) (*Verifier, error) {
	if b.Delta != nil {
		return nil, fmt.Errorf("bundle: cannot verify codes under a delta bundle; apply it to a full one")
	}
	ts, err := TrustStore(b)
	if err != nil {
		return nil, err
	}
	return &Verifier{Skew: verify.DefaultSkew, b: b, inner: verify.New(ts)}, nil
}

// TrustStore returns b's issuer keys as a verify.TrustStore, each with its
// validity period, except that a compromised key has none: Verifier refuses
// every code of such a key itself (SPEC.md §13.5).
func TrustStore(b *Bundle) (*verify.TrustStore, error) {
	ts := verify.NewTrustStore()
	for _, k := range b.Keys {
		tk := verify.TrustedKey{KeyID: k.KeyID, Public: k.Public, Issuer: k.Issuer}
		if k.Status != Compromised {
			tk.NotBefore, tk.NotAfter = k.NotBefore, k.NotAfter
		}
		if err := ts.Add(tk); err != nil {
			return nil, fmt.Errorf("bundle: %w", err)
		}
	}
	return ts, nil
}

// Bundle returns the bundle v verifies under.
func (v *Verifier) Bundle() *Bundle { return v.b }

// Result is what verification under a bundle learned of a code.
type Result struct {
	verify.Result
	// BundleKey is the bundle's entry for the key whose signature
	// verified, or nil.
	BundleKey *Key
	// Sequence is the sequence of the bundle used.
	Sequence uint64
	// Stale is how long the bundle had expired at the time of
	// verification; zero if it had not.
	Stale time.Duration
}

// Verify verifies text at time now under the bundle (SPEC.md §13.9). It
// returns a non-nil Result whatever the outcome; the error is nil for a
// valid code and otherwise VerdictOf(err) names the verdict.
func (v *Verifier) Verify(text string, now time.Time) (*Result, error) {
	r := &Result{Sequence: v.b.Sequence}
	if t := now.Unix(); t > v.b.ExpiresAt.Unix() {
		r.Stale = time.Duration(t-v.b.ExpiresAt.Unix()) * time.Second
	}
	c, err := codec.Decode(text)
	if err != nil {
		return r, err
	}
	r.Code = c
	return r, v.check(r, c, now)
}

func (v *Verifier) check(r *Result, c *codec.Code, now time.Time) error {
	tk, err := v.inner.CheckSignature(c)
	if err != nil {
		return err
	}
	r.Key = tk
	for i := range v.b.Keys {
		if k := &v.b.Keys[i]; k.KeyID == tk.KeyID && bytes.Equal(k.Public, tk.Public) {
			r.BundleKey = k
			break
		}
	}
	k := r.BundleKey
	if k.Status == Compromised {
		return fmt.Errorf("%w: key %s", ErrKeyRevoked, verify.KeyIDString(k.KeyID))
	}
	if !k.Allows(c.Claims.Kind) {
		return fmt.Errorf("%w: key %s signs %v codes, this one is %s", ErrKindNotAllowed, verify.KeyIDString(k.KeyID), k.Kinds, c.Claims.Kind)
	}
	if err := verify.CheckWindow(c, now, v.Skew); err != nil {
		return err
	}
	if v.b.Serials.Contains(SerialEntry(c.KeyID, c.Claims.Serial)) {
		return fmt.Errorf("%w: serial %x", ErrRevoked, c.Claims.Serial[:])
	}
	if before, ok := v.b.Identities.Lookup(IdentityEntry(c.Claims.Identity)); ok && c.Claims.IssuedAt.Unix() < before {
		return &IdentityRevokedError{IssuedAt: c.Claims.IssuedAt, Before: time.Unix(before, 0).UTC()}
	}
	if r.Stale > 0 && v.RefuseStale {
		return &StaleError{ExpiresAt: v.b.ExpiresAt, By: r.Stale}
	}
	return nil
}

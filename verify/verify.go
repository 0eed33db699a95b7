// Package verify is the offline verifier of offcode: it checks a code's
// text against a trust source and a clock and gives a verdict, as specified
// in SPEC.md §8, §9 and §13.9.
//
// The trust source is a TrustStore, from a JWK Set of issuer keys
// (ParseJWKSet, SPEC.md §9) or from the signed trust bundle the device holds
// (FromBundle, SPEC.md §13): issuer keys with their periods, kinds and
// status, the revoked codes and people, and the bundle's expiry. Whatever
// the source, a scanning device needs three calls:
//
//	trust, err := verify.FromBundle(state.Bundle) // or verify.ParseJWKSet(jwks)
//	v := verify.New(trust)
//	r, err := v.Verify(text, time.Now()) // r.Verdict: Valid, Expired, Revoked, StaleTrust, ...
//
// where state is the device's bundle.State (bundle.OpenState), which only
// ever moves to a newer bundle. Verify needs no network and keeps no state
// between calls; the time is passed in, so a device with a wrong clock can
// be told so and a test can fix the time. The verdicts form one closed set,
// the Verdict constants; every error of Verify carries its verdict, so a
// caller branches with errors.Is(err, verify.Expired) or VerdictOf(err).
package verify

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// defaultSkew is the default tolerance for a code issued in the future,
// for devices whose clock runs behind the issuer's (SPEC.md §7).
const defaultSkew = 5 * time.Minute

// defaultStaleGrace is how long after its trust bundle expired a device
// still accepts codes by default (SPEC.md §13.14). Bundles are signed for 30
// days and devices sync daily, so a bundle three days past its expiry means
// a device that has not synced for over a month.
const defaultStaleGrace = 72 * time.Hour

// Verifier verifies codes against a trust source. It is safe for concurrent
// use as long as its fields are not changed.
type Verifier struct {
	// Trust holds the issuer keys and, from a bundle, the revocations.
	// It must not be nil.
	Trust *TrustStore
	// Skew is how far in the future a code's iat may be. It is counted in
	// whole seconds; zero means no tolerance.
	Skew time.Duration
	// StaleGrace applies to a trust store from a bundle: once the bundle
	// has been expired for longer than StaleGrace, a code that would be
	// valid is refused with StaleTrust (SPEC.md §13.9, policy refuse).
	// Zero refuses as soon as the bundle expires.
	StaleGrace time.Duration
	// AllowStale turns the staleness refusal off (policy warn): codes
	// verify under a bundle however stale, and the Result says how stale.
	AllowStale bool
}

// New returns a Verifier of trust with the default Skew, 5 minutes (SPEC.md
// §7), and the default StaleGrace, 72 hours (SPEC.md §13.14): bundles are
// signed for 30 days and devices sync daily, so a bundle three days past
// its expiry means a device that has not synced for over a month.
func New(trust *TrustStore) *Verifier {
	return &Verifier{Trust: trust, Skew: defaultSkew, StaleGrace: defaultStaleGrace}
}

// Result is what verification learned of a code.
type Result struct {
	// Verdict is VerdictOf the error Verify returned.
	Verdict Verdict
	// Code is the decoded code, or nil if it did not decode. It is set
	// even when a later step rejects the code, so a caller can say, for
	// example, when an expired code expired.
	Code *codec.Code
	// Key is the trusted public key whose signature verified, or nil;
	// Issuer is its name in the trust store, if it has one.
	Key    ed25519.PublicKey
	Issuer string
	// Sequence is the sequence of the bundle the trust came from, or 0
	// for a JWK Set.
	Sequence uint64
	// Stale is how long the bundle had expired at the time of
	// verification; zero if it had not, or for a JWK Set. It is set
	// whatever the verdict (SPEC.md §13.9).
	Stale time.Duration
}

// Verify decodes text and checks it at time now (SPEC.md §8 steps 1-10,
// and §13.9 under a bundle). It always returns a non-nil Result. The error
// is nil for a valid code, whatever its colour; otherwise it says why, and
// Result.Verdict, like VerdictOf(err), names it: errors.Is(err, Expired)
// holds for an expired code.
func (v *Verifier) Verify(text string, now time.Time) (*Result, error) {
	r := new(Result)
	err := withVerdict(v.verify(r, text, now))
	r.Verdict = VerdictOf(err)
	return r, err
}

func (v *Verifier) verify(r *Result, text string, now time.Time) error {
	b := v.Trust.bundle
	if b != nil {
		r.Sequence = b.Sequence
		if t, exp := now.Unix(), b.ExpiresAt.Unix(); t > exp {
			r.Stale = time.Duration(t-exp) * time.Second
		}
	}
	c, err := codec.Decode(text)
	if err != nil {
		return err
	}
	r.Code = c
	k, err := v.checkSignature(c)
	if err != nil {
		return err
	}
	r.Key, r.Issuer = k.Public, k.Issuer
	if err := checkWindow(c, now, v.Skew); err != nil {
		return err
	}
	if b == nil {
		return nil
	}
	if err := checkRevoked(b, c); err != nil {
		return err
	}
	if r.Stale > v.StaleGrace && !v.AllowStale {
		return &staleError{ExpiresAt: b.ExpiresAt, By: r.Stale, Grace: v.StaleGrace}
	}
	return nil
}

// checkSignature finds the trusted keys filed under the code's kid and
// returns the first whose signature over the code verifies and that may
// have signed it: under a bundle, not compromised, and allowed the code's
// kind; and whose validity period holds the code's iat (SPEC.md §8 steps
// 7-9, §13.5).
func (v *Verifier) checkSignature(c *codec.Code) (*trustedKey, error) {
	keys := v.Trust.lookup(c.KeyID)
	if len(keys) == 0 {
		return nil, &unknownKeyError{KeyID: c.KeyID}
	}
	sig := c.Signature
	if !isCanonicalScalar(sig[32:]) {
		return nil, errNonCanonicalSignature
	}
	if isSmallOrder(sig[:32]) {
		return nil, fmt.Errorf("%w: R is a point of small order", errBadSignature)
	}
	var buf [512]byte
	tbs := format.AppendSigStructure(buf[:0], c.Protected, c.Payload)
	var refused error
	for _, k := range keys {
		if !ed25519.Verify(k.Public, tbs, sig) {
			continue
		}
		err := k.allows(c)
		if err == nil {
			return k, nil
		}
		if refused == nil {
			refused = err
		}
	}
	if refused != nil {
		return nil, refused
	}
	if len(keys) > 1 {
		return nil, fmt.Errorf("%w under any of the %d keys with kid %s", errBadSignature, len(keys), c.KeyID)
	}
	return nil, errBadSignature
}

// checkRevoked checks the bundle's revocation lists (SPEC.md §13.9).
func checkRevoked(b *bundle.Bundle, c *codec.Code) error {
	if b.CodeRevoked(c) {
		return fmt.Errorf("%w: serial %x", errRevoked, c.Claims.Serial[:])
	}
	if before, ok := b.PersonRevoked(c); ok {
		return &identityRevokedError{IssuedAt: c.Claims.IssuedAt, Before: before}
	}
	return nil
}

// checkWindow checks the code's validity window at time now, allowing skew
// for an iat in the future (SPEC.md §8 step 10). Times are compared in whole
// seconds. The error is a *windowError.
func checkWindow(c *codec.Code, now time.Time, skew time.Duration) error {
	iat, exp := c.Claims.IssuedAt.Unix(), c.Claims.ExpiresAt.Unix()
	t := now.Unix()
	var err error
	switch {
	case exp-iat > int64(codec.MaxValidity/time.Second):
		err = errWindowTooLong
	case iat-int64(skew/time.Second) > t: // not iat > t+skew: t may be near MaxInt64
		err = errNotYetValid
	case t > exp:
		err = errExpired
	default:
		return nil
	}
	return &windowError{Err: err, IssuedAt: c.Claims.IssuedAt, ExpiresAt: c.Claims.ExpiresAt, Now: time.Unix(t, 0).UTC()}
}

// MatchID checks that the code was issued for id, the number on an ID card
// presented with it (SPEC.md §8 step 11). It costs one Argon2id evaluation.
// The error carries its verdict: IDMismatch, or BadClaim for an identity
// hash version this package does not know.
func MatchID(c *codec.Code, id identity.ID) error {
	ok, err := c.Claims.Identity.Matches(id)
	if err != nil {
		return withVerdict(err)
	}
	if !ok {
		return withVerdict(errIDMismatch)
	}
	return nil
}

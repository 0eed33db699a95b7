// Package verify is the offline verifier of offcode: it checks a code's
// text against a trust store and a clock and gives a verdict, as specified
// in SPEC.md §8 and §9.
//
// A scanning device builds one Verifier from its trust store and calls
// Verify for every code it reads. Verify needs no network and keeps no
// state between calls; the current time is passed in, so a device with a
// wrong clock can be told so and a test can fix the time.
package verify

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

// DefaultSkew is the default tolerance for a code issued in the future,
// for devices whose clock runs behind the issuer's (SPEC.md §7).
const DefaultSkew = 5 * time.Minute

// Verifier verifies codes against a trust store. It is safe for concurrent
// use as long as its fields are not changed.
type Verifier struct {
	// Trust holds the issuer keys. It must not be nil.
	Trust *TrustStore
	// Skew is how far in the future a code's iat may be. It is counted in
	// whole seconds; zero means no tolerance.
	Skew time.Duration
}

// New returns a Verifier with the DefaultSkew.
func New(trust *TrustStore) *Verifier {
	return &Verifier{Trust: trust, Skew: DefaultSkew}
}

// Result is what verification learned of a code.
type Result struct {
	// Code is the decoded code, or nil if it did not decode. It is set
	// even when a later step rejects the code, so a caller can say, for
	// example, when an expired code expired.
	Code *codec.Code
	// Key is the trusted key whose signature verified, or nil.
	Key *TrustedKey
}

// Verify decodes text and checks its signature and validity window at time
// now (SPEC.md §8 steps 1-10). It returns a non-nil Result and a nil error
// for a valid code, whatever its colour. Otherwise the error wraps the cause
// and VerdictOf(err) names it.
func (v *Verifier) Verify(text string, now time.Time) (*Result, error) {
	r := new(Result)
	c, err := codec.Decode(text)
	if err != nil {
		return r, err
	}
	r.Code = c
	if r.Key, err = v.CheckSignature(c); err != nil {
		return r, err
	}
	return r, CheckWindow(c, now, v.Skew)
}

// CheckSignature finds the trusted keys filed under the code's kid and
// returns the first whose signature over the code verifies and whose
// validity period holds the code's iat (SPEC.md §8 steps 7-9).
func (v *Verifier) CheckSignature(c *codec.Code) (*TrustedKey, error) {
	keys := v.Trust.lookup(c.KeyID)
	if len(keys) == 0 {
		return nil, &UnknownKeyError{KeyID: c.KeyID}
	}
	sig := c.Signature
	if !isCanonicalScalar(sig[32:]) {
		return nil, ErrNonCanonicalSignature
	}
	if isSmallOrder(sig[:32]) {
		return nil, fmt.Errorf("%w: R is a point of small order", ErrBadSignature)
	}
	var buf [512]byte
	tbs := format.AppendSigStructure(buf[:0], c.Protected, c.Payload)
	var outOfPeriod *TrustedKey
	for _, k := range keys {
		if !ed25519.Verify(k.Public, tbs, sig) {
			continue
		}
		if k.validAt(c.Claims.IssuedAt) {
			return k, nil
		}
		outOfPeriod = k
	}
	if outOfPeriod != nil {
		return nil, fmt.Errorf("%w: iat %s, key valid %s", ErrKeyNotValid, stamp(c.Claims.IssuedAt), period(outOfPeriod))
	}
	if len(keys) > 1 {
		return nil, fmt.Errorf("%w under any of the %d keys with kid %s", ErrBadSignature, len(keys), KeyIDString(c.KeyID))
	}
	return nil, ErrBadSignature
}

func period(k *TrustedKey) string {
	from, to := "-", "-"
	if !k.NotBefore.IsZero() {
		from = stamp(k.NotBefore)
	}
	if !k.NotAfter.IsZero() {
		to = stamp(k.NotAfter)
	}
	return from + " to " + to
}

// CheckWindow checks the code's validity window at time now, allowing skew
// for an iat in the future (SPEC.md §8 step 10). Times are compared in whole
// seconds. The error is a *WindowError.
func CheckWindow(c *codec.Code, now time.Time, skew time.Duration) error {
	iat, exp := c.Claims.IssuedAt.Unix(), c.Claims.ExpiresAt.Unix()
	t := now.Unix()
	var err error
	switch {
	case exp-iat > int64(codec.MaxValidity/time.Second):
		err = ErrWindowTooLong
	case iat-int64(skew/time.Second) > t: // not iat > t+skew: t may be near MaxInt64
		err = ErrNotYetValid
	case t > exp:
		err = ErrExpired
	default:
		return nil
	}
	return &WindowError{Err: err, IssuedAt: c.Claims.IssuedAt, ExpiresAt: c.Claims.ExpiresAt, Now: time.Unix(t, 0).UTC()}
}

// MatchID checks that the code was issued for id, the number on an ID card
// presented with it (SPEC.md §8 step 11). It costs one Argon2id evaluation.
func MatchID(c *codec.Code, id identity.ID) error {
	ok, err := c.Claims.Identity.Matches(id)
	if err != nil {
		return err
	}
	if !ok {
		return ErrIDMismatch
	}
	return nil
}

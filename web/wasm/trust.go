package main

// This file is the only one of the browser verifier that calls into the
// verifier and the trust-bundle code (packages verify and bundle). When the
// device API changes, this is the file to adapt; main.go only converts
// between these types and JavaScript values.

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/verify"
)

// Verdicts of the page that are not code verdicts of SPEC.md: the device
// holds no bundle yet, so it cannot verify anything.
const noTrust = "no_trust"

// device is the page's trust state: the root keys it was provisioned with
// and the bundle it accepted last (SPEC.md §13.8).
type device struct {
	state bundle.State
	v     *verify.Verifier
	last  *codec.Code // the code of the last verdict, for checkID
}

func newDevice(roots []ed25519.PublicKey) *device {
	return &device{state: bundle.State{Roots: roots}}
}

// trustInfo describes the bundle held, for the page's status line.
type trustInfo struct {
	Held      bool
	Sequence  uint64
	IssuedAt  time.Time
	ExpiresAt time.Time
	Keys      int
	Revoked   int // codes and people
}

func (d *device) info() trustInfo {
	b := d.state.Bundle
	if b == nil {
		return trustInfo{}
	}
	codes, people := b.Revocations()
	return trustInfo{Held: true, Sequence: b.Sequence, IssuedAt: b.IssuedAt, ExpiresAt: b.ExpiresAt,
		Keys: len(b.Keys), Revoked: codes + people}
}

// restore installs the bundle the page stored after an earlier accept (the
// payload written by accept). It is checked as far as a payload can be;
// its signature was checked when it was accepted.
func (d *device) restore(payload []byte) error {
	b, err := bundle.ParsePayload(payload)
	if err != nil {
		return err
	}
	if b.Delta != nil {
		return errors.New("web: the stored bundle is a delta")
	}
	v, err := newVerifier(b)
	if err != nil {
		return err
	}
	d.state.Bundle, d.v = b, v
	return nil
}

// newVerifier returns the one verifier (package verify) over the full
// bundle b. The page reports staleness with every verdict and does not
// refuse codes for it (SPEC.md §13.9 policy warn).
func newVerifier(b *bundle.Bundle) (*verify.Verifier, error) {
	trust, err := verify.FromBundle(b)
	if err != nil {
		return nil, err
	}
	v := verify.New(trust)
	v.AllowStale = true
	return v, nil
}

// acceptResult is the outcome of offering a signed bundle or delta.
type acceptResult struct {
	Accepted bool
	UpToDate bool   // the bundle offered is the one held
	Verdict  string // bundle.Acceptance: accepted, rollback, …
	Held     uint64 // sequence held before
	Sequence uint64 // sequence held after
	Payload  []byte // the new full bundle to store, when Accepted
	Message  string
}

// accept offers data, a signed full bundle or delta, to the device. It
// never goes back: a bundle whose sequence is not above the one held is
// refused by bundle.State.Accept and the device keeps what it holds.
func (d *device) accept(data []byte) acceptResult {
	r := acceptResult{Held: d.info().Sequence}
	err := d.state.Accept(data)
	r.Sequence = d.info().Sequence
	r.Verdict = string(bundle.AcceptanceOf(err))
	if err != nil {
		r.Message = err.Error()
		var rb *bundle.RollbackError
		if errors.As(err, &rb) && rb.Got == rb.Held {
			r.UpToDate = true
		}
		return r
	}
	v, err := newVerifier(d.state.Bundle)
	if err == nil {
		r.Payload, err = bundle.MarshalPayload(d.state.Bundle)
	}
	if err != nil {
		// Cannot happen for a bundle Open accepted; refuse it all the same.
		r.Verdict, r.Message = "", fmt.Sprintf("web: accepted bundle unusable: %v", err)
		return r
	}
	d.v = v
	r.Accepted = true
	return r
}

// result is a verdict on one code.
type result struct {
	Text      string
	Verdict   string // SPEC.md verdict name: valid, expired, revoked, …
	Message   string // the verifier's own words, in English
	Decoded   bool   // the fields below are set
	Colour    string // green, yellow, red
	Kind      string // personal, kin
	IssuedAt  time.Time
	ExpiresAt time.Time
	Sequence  uint64        // bundle used
	Stale     time.Duration // how long the bundle had expired
}

// verifyText verifies text at time now under the held bundle.
func (d *device) verifyText(text string, now time.Time) result {
	r := result{Text: text}
	if d.v == nil {
		r.Verdict, r.Message = noTrust, "web: no trust bundle held; sync once online"
		d.last = nil
		return r
	}
	res, err := d.v.Verify(text, now)
	r.Verdict = string(verify.VerdictOf(err))
	if err != nil {
		r.Message = err.Error()
	}
	r.Sequence, r.Stale = res.Sequence, res.Stale
	d.last = res.Code
	if c := res.Code; c != nil {
		r.Decoded = true
		r.Colour, r.Kind = c.Claims.Colour.String(), c.Claims.Kind.String()
		r.IssuedAt, r.ExpiresAt = c.Claims.IssuedAt, c.Claims.ExpiresAt
	}
	return r
}

// idResult is the outcome of checking a presented ID number.
type idResult struct {
	Verdict string // valid, id_mismatch, or bad_id for a number that is not one
	Reason  string // for bad_id: length, character, check_digit, birth_date
	Took    time.Duration
}

// checkID checks that the code of the last verdict was issued for the ID
// number s (SPEC.md §8 step 11). s never appears in the result.
func (d *device) checkID(s string, now time.Time) (idResult, error) {
	if d.last == nil {
		return idResult{}, errors.New("web: no code to check the ID number against")
	}
	id, err := identity.ParseID(s, now)
	if err != nil {
		return idResult{Verdict: "bad_id", Reason: idReason(err)}, nil
	}
	start := time.Now()
	err = verify.MatchID(d.last, id)
	r := idResult{Verdict: string(verify.VerdictOf(err)), Took: time.Since(start)}
	if r.Verdict == "" {
		return idResult{}, err
	}
	return r, nil
}

// idReason names why s is not an ID number without repeating it.
func idReason(err error) string {
	for _, r := range []struct {
		err  error
		name string
	}{{identity.ErrLength, "length"}, {identity.ErrCharacter, "character"},
		{identity.ErrCheckDigit, "check_digit"}, {identity.ErrBirthDate, "birth_date"}} {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	return "invalid"
}

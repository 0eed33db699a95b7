package verify_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
	"github.com/offcode/offcode/verify"
)

// TestVectors runs every conformance vector through the whole verification
// pipeline and checks the final verdict and, independently, the result of
// each step (SPEC.md §10). TestVerdictsCovered checks that the vectors
// cover every verdict.
func TestVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.Vector](t)
	for _, vec := range vs {
		t.Run(vec.Name, func(t *testing.T) { checkVector(t, vec) })
	}
}

func checkVector(t *testing.T, vec testvectors.Vector) {
	trust, err := verify.ParseJWKSet(vec.Trust)
	if err != nil {
		t.Fatalf("%s: ParseJWKSet(trust) = %v", vec.Name, err)
	}
	v := &verify.Verifier{Trust: trust, Skew: vec.Skew}
	var id identity.ID
	if vec.PresentedID != "" {
		if id, err = identity.ParseID(vec.PresentedID, vec.Now); err != nil {
			t.Fatalf("%s: ParseID(presented_id) = %v", vec.Name, err)
		}
	}

	// The whole pipeline.
	r, err := v.Verify(vec.Text, vec.Now)
	if r == nil {
		t.Fatalf("%s: Verify returned a nil Result", vec.Name)
	}
	if r.Verdict != verify.VerdictOf(err) {
		t.Errorf("%s: Result.Verdict = %q, VerdictOf(err) = %q", vec.Name, r.Verdict, verify.VerdictOf(err))
	}
	if err == nil && vec.PresentedID != "" {
		err = verify.MatchID(r.Code, id)
	}
	if got, want := verify.VerdictOf(err), verify.Verdict(vec.Expected.Verdict); got != want {
		t.Errorf("Verify(%s) verdict = %q (%v), want %q", vec.Name, got, err, want)
	}
	// The error carries its verdict, and no other.
	if want := verify.Verdict(vec.Expected.Verdict); err != nil && (!errors.Is(err, want) || errors.Is(err, verify.Valid)) {
		t.Errorf("errors.Is(Verify(%s) error %v, %q) = false, want true", vec.Name, err, want)
	}

	// Each step on its own.
	c, err := codec.Decode(vec.Text)
	checkStep(t, vec.Name, "decode", err, vec.Expected.Decode)
	if err != nil {
		if r.Code != nil {
			t.Errorf("%s: Verify set Result.Code for a code that does not decode", vec.Name)
		}
		return
	}
	if r.Code == nil {
		t.Errorf("%s: Verify left Result.Code nil for a code that decodes", vec.Name)
	}
	key, err := v.CheckSignature(c)
	checkStep(t, vec.Name, "signature", err, vec.Expected.Signature)
	if (err == nil) != (key != nil) {
		t.Errorf("%s: CheckSignature = %v, %v: want a key exactly when there is no error", vec.Name, key, err)
	}
	err = verify.CheckWindow(c, vec.Now, vec.Skew)
	checkStep(t, vec.Name, "window", err, vec.Expected.Window)
	if vec.PresentedID != "" {
		checkStep(t, vec.Name, "identity", verify.MatchID(c, id), vec.Expected.Identity)
	} else if vec.Expected.Identity != nil {
		t.Errorf("%s: expected identity is set but no ID is presented", vec.Name)
	}
}

// checkStep compares a step's error with the expected result.
func checkStep(t *testing.T, name, step string, err error, want *bool) {
	t.Helper()
	if want == nil {
		t.Errorf("%s: step %s ran (error %v) but its expected result is null", name, step, err)
		return
	}
	if got := err == nil; got != *want {
		t.Errorf("%s: step %s passed = %v (%s), want %v", name, step, got, describe(err), *want)
	}
}

func describe(err error) string {
	if err == nil {
		return "no error"
	}
	return fmt.Sprintf("verdict %q: %v", verify.VerdictOf(err), err)
}

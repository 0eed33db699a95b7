package testcode

import (
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/verify"
)

func TestIssueDeterministicAndValid(t *testing.T) {
	a, b := Issue(3, codec.Red, codec.Kin), Issue(3, codec.Red, codec.Kin)
	if a != b || a == Issue(4, codec.Red, codec.Kin) {
		t.Fatalf("Issue is not a function of its number")
	}
	r, err := verify.New(Trust()).Verify(a, At)
	if err != nil || r.Code.Claims.Colour != codec.Red || r.Code.Claims.Kind != codec.Kin {
		t.Fatalf("Verify(Issue(3)) = %v", err)
	}
}

package codec_test

import (
	"fmt"

	"github.com/offcode/offcode/codec"
)

func ExampleDecode() {
	// The worked example of SPEC.md Appendix A.
	text := "OC1:RRQT 9P60GO0HD4WD6ZHKYNK8CKUZ7FN0/HDW9JWY0YHD- BN-0 DKAPKT K33LMEL-PL/E7V50S30V50HB0:J07D0100KB0*M0DY0W016C1PN1:" +
		"Y16O8N%J27BF.GFBFZX2ANI375DKQT2A5GQN:I82GRH2RBU *J*4JHCFY41ESJ2XB+GQY*NV4KCUJ1L6N*0I%6U5BI*RU04B*C7$HKUH:AW"
	c, err := codec.Decode(text)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.KeyID, c.Claims.Colour, c.Claims.Kind, c.Claims.IssuedAt, c.Claims.ExpiresAt)
	fmt.Printf("identity hash version %d, digest %x\n", c.Claims.Identity.Version, c.Claims.Identity.Sum)

	_, err = codec.Decode("OC1:GGW")
	fmt.Println(err)
	// Output:
	// If4x36FUomE green personal 2026-05-01 08:00:00 +0000 UTC 2026-05-08 08:00:00 +0000 UTC
	// identity hash version 2, digest 869d10
	// codec: invalid Base45: group at offset 0 encodes 65536, more than two bytes hold
}

func ExampleParseColour() {
	c, err := codec.ParseColour("yellow")
	fmt.Println(c, uint8(c), err)

	_, err = codec.ParseColour("blue")
	fmt.Println(err)
	// Output:
	// yellow 1 <nil>
	// codec: invalid colour "blue": want green, yellow or red
}

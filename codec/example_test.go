package codec_test

import (
	"fmt"

	"github.com/offcode/offcode/codec"
)

func ExampleAppendBase45() {
	text := codec.AppendBase45(nil, []byte("ietf!"))
	fmt.Println(string(text))

	b, err := codec.DecodeBase45("QED8WEX0")
	fmt.Printf("%s %v\n", b, err)

	_, err = codec.DecodeBase45("GGW")
	fmt.Println(err)
	// Output:
	// QED8WEX0
	// ietf! <nil>
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

package identity_test

import (
	"fmt"
	"time"

	"github.com/offcode/offcode/identity"
)

func ExampleParseID() {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, identity.Beijing())
	id, err := identity.ParseID("11010519491231002x", now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id) // masked: an ID number is personal data
	fmt.Println(len(id.Number()))

	_, err = identity.ParseID("110105194912310021", now)
	fmt.Println(err)
	// Output:
	// **************002X
	// 18
	// identity: ID number check digit is wrong: check digit is 1, want X
}

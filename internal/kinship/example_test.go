package kinship_test

import (
	"fmt"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/kinship"
)

func ExampleCheckAge() {
	// 2026-11-23 09:00 in Beijing.
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for _, s := range []string{"11010519491231002X", "110101199001010015"} {
		id, err := identity.ParseID(s, now)
		if err != nil {
			fmt.Println(err)
			continue
		}
		if err := kinship.CheckAge(id, now); err != nil {
			fmt.Println(err)
		} else {
			fmt.Println(id, "may be bound")
		}
	}
	// Output:
	// **************002X may be bound
	// kinship: relative must be aged 0-16 or 60 and over; the relative is 36 on 2026-11-23 (Beijing time)
}

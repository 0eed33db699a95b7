package render_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

func TestCheckHolderPrivacy(t *testing.T) {
	for _, c := range []struct {
		holder string
		shown  int // 0: allowed
	}{
		{"", 0},
		{"张*华", 0},
		{"张*华 **************002X", 0}, // the last 4: allowed
		{"张*华 002X", 0},
		{"张*华 尾号002X", 0},
		{"李*明, 3班", 0},
		{"MAX 1234", 0},                    // X after a letter is not a check character
		{"张*华 1101**********002X", 8},      // region and check: 8 of 18
		{"张*华 110105194912310", 15},        // unmasked
		{"张*华 1101 0519 4912 3100 2X", 18}, // spaced
		{"张*华 ***********12310002X", 9},
		{"张*华 ＊＊＊＊＊＊１２３１００２Ｘ", 8}, // full-width
		{"生于 2019-01-01", 8},
		{"电话 138****8000", 7},
	} {
		err := render.CheckHolderPrivacy(c.holder)
		var he *render.HolderIDError
		switch {
		case c.shown == 0 && err != nil:
			t.Errorf("CheckHolderPrivacy(%q) = %v, want nil", c.holder, err)
		case c.shown != 0 && (!errors.As(err, &he) || he.Shown != c.shown || !errors.Is(err, render.ErrHolderShowsID)):
			t.Errorf("CheckHolderPrivacy(%q) = %v, want a HolderIDError showing %d", c.holder, err, c.shown)
		}
	}
}

// TestHolderPolicyEverywhere checks that the sheet, the batch card and the
// phone card refuse a holder line with 8 characters of an ID number and
// print one with the last 4, and that the error says why without repeating
// the line.
func TestHolderPolicyEverywhere(t *testing.T) {
	const bad, good = "张*华 1101**********002X", "张*华 **************002X"
	text := testcode.Issue(6, codec.Yellow, codec.Kin)
	draw := map[string]func(holder string) error{
		"WriteSheet": func(h string) error {
			return render.WriteSheet(new(strings.Builder), text, &render.SheetOptions{Holder: h})
		},
		"WriteCardPNG": func(h string) error {
			return render.WriteCardPNG(new(strings.Builder), text, &render.CardOptions{Holder: h})
		},
		"WriteCardSVG": func(h string) error {
			return render.WriteCardSVG(new(strings.Builder), text, &render.CardOptions{Holder: h})
		},
		"NewCard": func(h string) error {
			_, err := render.NewCard(text, &render.Options{Holder: h, Level: render.LevelQ})
			return err
		},
		"CheckHolder": func(h string) error { return render.CheckHolder(h) },
	}
	for name, f := range draw {
		err := f(bad)
		if !errors.Is(err, render.ErrHolderShowsID) {
			t.Errorf("%s(holder %q) = %v, want ErrHolderShowsID", name, bad, err)
		} else if msg := err.Error(); strings.Contains(msg, "1101") || !strings.Contains(msg, "shows 8 characters") || !strings.Contains(msg, "at most the last 4") {
			t.Errorf("%s(holder %q): message %q: want why, without the line", name, bad, msg)
		}
		if err := f(good); err != nil {
			t.Errorf("%s(holder %q) = %v, want nil", name, good, err)
		}
	}
}

//go:build zbar

// The zbar test reads phone cards with ZBar's zbarimg, the decoder many
// checkpoint and phone apps are built on, as an outside check of the
// scan package's reading. It is built only with -tags zbar, so the default
// suite neither needs ZBar nor skips it: .ci/run installs zbar-tools and
// runs go test -tags zbar -run Zbar ./render.

package render_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/testkit/testcode"
	"github.com/offcode/offcode/render"
)

func TestZbarReadsCards(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatalf("zbarimg is missing: apt-get install zbar-tools")
	}
	dir := t.TempDir()
	i := 0
	for col := codec.Green; col <= codec.Red; col++ {
		for kind := codec.Personal; kind <= codec.Kin; kind++ {
			i++
			text := testcode.Issue(i, col, kind)
			f, err := os.Create(filepath.Join(dir, "card.png"))
			if err != nil {
				t.Fatal(err)
			}
			err = render.WriteCardPNG(f, text, &render.CardOptions{Holder: "张*华 **************002X"})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f.Name()).Output()
			if got := strings.TrimSpace(string(out)); err != nil || got != text {
				t.Errorf("zbarimg(card %v %v) = %.30q, %v; want the code", col, kind, got, err)
			}
		}
	}
}

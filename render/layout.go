package render

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
)

// card is what a sheet or a batch card shows of one code.
type card struct {
	text   string
	qr     *QR
	colour codec.Colour
	kind   codec.Kind
	iat    time.Time
	exp    time.Time
	kid    string
	serial string
	holder string
}

// newCard decodes text (structure only: the issuer made it) and encodes its
// QR symbol.
func newCard(fi *fontInfo, text, holder string, l Level) (*card, error) {
	c, err := codec.Decode(text)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if err := fi.checkText(holder); err != nil {
		return nil, err
	}
	if err := checkHolderPrivacy(holder); err != nil {
		return nil, err
	}
	q, err := NewQR(text, l)
	if err != nil {
		return nil, err
	}
	return &card{
		text:   text,
		qr:     q,
		colour: c.Claims.Colour,
		kind:   c.Claims.Kind,
		iat:    c.Claims.IssuedAt,
		exp:    c.Claims.ExpiresAt,
		kid:    base64.RawURLEncoding.EncodeToString(c.KeyID[:]), // as in trust stores and verify --json
		serial: hex.EncodeToString(c.Claims.Serial[:]),
		holder: holder,
	}, nil
}

// Labels printed on sheets and cards. Every string a layout prints is one
// of these, a colour or kind word, a time, or hexadecimal; the tests check
// them all against the font.
const (
	labelTitle       = "离线码"
	labelIssued      = "签发时间"
	labelValidUntil  = "有效期至"
	labelZone        = "北京时间（UTC+8），自签发起7天内有效"
	labelHolder      = "持码人："
	labelHolderNote  = "持码人信息为打印附注，不在数字签名内，以扫码核验结果为准。"
	labelInstruction = "核验：用离线核验设备扫描二维码，以设备显示的颜色和有效期为准；需核对身份时请出示身份证。"
	labelKinBar      = "亲属码：由家属代为申领，供老人、儿童打印或存相册使用"
	labelKeySerial   = "密钥 %s  序列号 %s"
	labelIssuedShort = "签发"
)

var colourWords = [...]string{"绿码", "黄码", "红码"}
var kindWords = [...]string{"个人码", "亲属码"}

// Print colours: vivid on a colour printer, distinct greys in black and
// white (green is a mid grey, yellow light, red dark).
var colourInks = [...]rgb{{0, 150, 70}, {250, 200, 0}, {200, 20, 30}}

const timeLayout = "2006-01-02 15:04"

func beijing(t time.Time) string { return t.In(identity.Beijing()).Format(timeLayout) }

// centre returns the x at which s, at size points, is centred on mid.
func centre(fi *fontInfo, mid, size float64, s string) float64 {
	return mid - fi.width(s, size)/2
}

// band fills the rectangle with the colour's pattern, which tells the
// colours apart without colour: green solid, yellow vertical stripes, red a
// chequer board.
func band(c canvas, col codec.Colour, x, y, w, h float64) {
	c.setFill(colourInks[col])
	switch col {
	case codec.Green:
		c.rect(x, y, w, h)
	case codec.Yellow:
		c.setFill(rgb{210, 160, 0})
		c.rect(x, y, w, h)
		c.setFill(white)
		step := math.Min(w, h) / 3
		for sx := x + step/2; sx+step/2 <= x+w+1e-9; sx += step {
			c.rect(sx, y, step/2, h)
		}
	case codec.Red:
		c.rect(x, y, w, h)
		c.setFill(white)
		s := math.Min(w, h) / 2
		nx, ny := int(math.Round(w/s)), int(math.Round(h/s))
		sw, sh := w/float64(nx), h/float64(ny)
		for i := 0; i < nx; i++ {
			for j := 0; j < ny; j++ {
				if (i+j)%2 == 1 {
					c.rect(x+float64(i)*sw, y+float64(j)*sh, sw, sh)
				}
			}
		}
	}
}

// frame draws a patterned frame of thickness t around the square x, y,
// side s (the outside edge), leaving the inside untouched.
func frame(c canvas, col codec.Colour, x, y, s, t float64) {
	band(c, col, x, y, s, t)
	band(c, col, x, y+s-t, s, t)
	band(c, col, x, y+t, t, s-2*t)
	band(c, col, x+s-t, y+t, t, s-2*t)
}

// shape draws the colour's sign, size d, at x, y (top left): a circle for
// green, a triangle for yellow, a square for red, filled with the colour
// and outlined in black so the shape reads in black and white.
func shape(c canvas, col codec.Colour, x, y, d float64) {
	outline := func(pts func(inset float64) []point) {
		c.setFill(black)
		c.polygon(pts(0))
		c.setFill(colourInks[col])
		c.polygon(pts(d * 0.07))
	}
	switch col {
	case codec.Green:
		outline(func(in float64) []point {
			var p []point
			r := d/2 - in
			for i := 0; i < 64; i++ {
				a := 2 * math.Pi * float64(i) / 64
				p = append(p, point{x + d/2 + r*math.Cos(a), y + d/2 + r*math.Sin(a)})
			}
			return p
		})
	case codec.Yellow:
		outline(func(in float64) []point {
			k := in * 1.9
			return []point{{x + d/2, y + k}, {x + d - k*0.87, y + d - in}, {x + k*0.87, y + d - in}}
		})
	case codec.Red:
		outline(func(in float64) []point {
			return []point{{x + in, y + in}, {x + d - in, y + in}, {x + d - in, y + d - in}, {x + in, y + d - in}}
		})
	}
}

// drawQR draws the symbol with its quiet zone (kept white) into the square
// x, y, side s, as filled rectangles, one per horizontal run.
func drawQR(c canvas, q *QR, x, y, s float64) {
	c.setFill(white)
	c.rect(x, y, s, s)
	m := s / float64(q.size+2*quietZone)
	c.setFill(black)
	if sc, ok := c.(streamCanvas); ok {
		// A batch page: one 1-bit image per symbol.
		sc.modules(q, x+quietZone*m, y+quietZone*m, float64(q.size)*m)
		return
	}
	q.runs(func(mx, my, n int) {
		c.rect(x+float64(mx+quietZone)*m, y+float64(my+quietZone)*m, float64(n)*m, m)
	})
}

// badge draws the kind word in a box: outlined for a personal code, solid
// black with white type for a kinship code.
func badge(c canvas, fi *fontInfo, k codec.Kind, x, y, w, h, size float64) {
	word := kindWords[k]
	c.setFill(black)
	c.rect(x, y, w, h)
	if k == codec.Personal {
		lw := h * 0.08
		c.setFill(white)
		c.rect(x+lw, y+lw, w-2*lw, h-2*lw)
		c.setFill(black)
	} else {
		c.setFill(white)
	}
	c.text(centre(fi, x+w/2, size, word), y+h/2+size*mmPerPt*0.36, size, word)
}

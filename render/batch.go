package render

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// Batch layout, millimetres: an A4 page holds batchColumns × batchRows
// cards of cardW × cardH, edge to edge, separated by dashed cut lines.
const (
	batchColumns = 2
	batchRows    = 4
	cardW        = pageW / batchColumns
	cardH        = pageH / batchRows
	cardQR       = 52.0 // symbol with quiet zone: 46 mm of modules at version 11
)

// Batch writes many codes into one multi-page A4 PDF for cutting up, eight
// cards to a page (two columns, four rows; see README.md). It streams: each
// page goes to the writer as soon as it is full, so memory does not grow
// with the number of codes. The font is embedded once, at the end,
// subset to the glyphs the pages use.
//
// A Batch is not safe for concurrent use.
type Batch struct {
	w       *bufio.Writer
	n       int64   // bytes written
	offsets []int64 // by object number; 0 unused
	kids    []int   // page object numbers
	page    bytes.Buffer
	onPage  int
	count   int
	fi      *fontInfo
	used    []bool // by glyph index: shown on some page
	err     error
	closed  bool
	zbuf    bytes.Buffer
	zw      *zlib.Writer
}

// Fixed object numbers.
const (
	objCatalog = 1 + iota
	objPages
	objFont
	objCIDFont
	objDescriptor
	objFontFile
	objToUnicode
	objInfo
	objFirstPage
)

// NewBatch starts a batch document on w, writing its header.
func NewBatch(w io.Writer) (*Batch, error) {
	fi, err := loadFont()
	if err != nil {
		return nil, err
	}
	b := &Batch{w: bufio.NewWriterSize(w, 64<<10), fi: fi, offsets: make([]int64, objFirstPage)}
	b.used = make([]bool, len(fi.widths))
	b.zw, _ = zlib.NewWriterLevel(&b.zbuf, zlib.BestSpeed)
	b.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
	b.object(objInfo, "<< /Producer (offcode) /Title <%s> >>", utf16hex(labelTitle))
	return b, b.err
}

func (b *Batch) printf(format string, args ...any) {
	if b.err != nil {
		return
	}
	n, err := fmt.Fprintf(b.w, format, args...)
	b.n += int64(n)
	b.err = err
}

func (b *Batch) write(p []byte) {
	if b.err != nil {
		return
	}
	n, err := b.w.Write(p)
	b.n += int64(n)
	b.err = err
}

func (b *Batch) object(id int, format string, args ...any) {
	for len(b.offsets) <= id {
		b.offsets = append(b.offsets, 0)
	}
	b.offsets[id] = b.n
	b.printf("%d 0 obj\n", id)
	b.printf(format, args...)
	b.printf("\nendobj\n")
}

// stream writes a Flate-compressed stream object.
func (b *Batch) stream(id int, dict string, data []byte) {
	b.zbuf.Reset()
	b.zw.Reset(&b.zbuf)
	b.zw.Write(data)
	b.zw.Close()
	for len(b.offsets) <= id {
		b.offsets = append(b.offsets, 0)
	}
	b.offsets[id] = b.n
	b.printf("%d 0 obj\n<< /Length %d /Filter /FlateDecode %s>>\nstream\n", id, b.zbuf.Len(), dict)
	b.write(b.zbuf.Bytes())
	b.printf("\nendstream\nendobj\n")
}

func utf16hex(s string) string {
	var sb bytes.Buffer
	sb.WriteString("FEFF")
	for _, r := range s {
		fmt.Fprintf(&sb, "%04X", r) // BMP only: the font has nothing else
	}
	return sb.String()
}

// writeFont embeds the font, subset to the glyphs used, as a
// CIDFontType2 shown through Identity-H: text is written as glyph indices.
func (b *Batch) writeFont() {
	fi := b.fi
	sub, err := subsetFont(fontTTF, b.used)
	if err != nil {
		if b.err == nil {
			b.err = err
		}
		return
	}
	b.object(objFont, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		subsetName(b.used), objCIDFont, objToUnicode)
	// Widths of the glyphs used, as runs of consecutive indices.
	var w bytes.Buffer
	w.WriteByte('[')
	for g := 0; g < len(b.used); g++ {
		if !b.used[g] {
			continue
		}
		w.WriteString(strconv.Itoa(g))
		w.WriteString(" [")
		for ; g < len(b.used) && b.used[g]; g++ {
			w.WriteString(strconv.Itoa(int(fi.widths[g])))
			w.WriteByte(' ')
		}
		w.WriteString("] ")
	}
	w.WriteByte(']')
	b.object(objCIDFont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W %s /CIDToGIDMap /Identity >>",
		subsetName(b.used), objDescriptor, w.Bytes())
	b.object(objDescriptor, "<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
		subsetName(b.used), fi.bbox[0], fi.bbox[1], fi.bbox[2], fi.bbox[3], fi.ascent, fi.descent, fi.capHeight, objFontFile)
	b.stream(objFontFile, fmt.Sprintf("/Length1 %d ", len(sub)), sub)
	b.stream(objToUnicode, "", toUnicode(fi, b.used))
}

// subsetName is the font's name with the six-letter tag PDF gives a
// subset (ISO 32000-1 §9.6.4), derived from the glyphs it holds.
func subsetName(used []bool) string {
	h := uint32(2166136261)
	for g, u := range used {
		if u {
			h = (h ^ uint32(g)) * 16777619
		}
	}
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(h%26)
		h /= 26
	}
	return string(tag) + "+" + fontName
}

// toUnicode returns a CMap from glyph index to character for the glyphs
// used, for text extraction; where several characters share a glyph the
// lowest wins.
func toUnicode(fi *fontInfo, used []bool) []byte {
	byGlyph := map[uint16]rune{}
	for r, g := range fi.glyphs {
		if int(g.id) >= len(used) || !used[g.id] {
			continue
		}
		if old, ok := byGlyph[g.id]; !ok || r < old {
			byGlyph[g.id] = r
		}
	}
	ids := make([]int, 0, len(byGlyph))
	for id := range byGlyph {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	var c bytes.Buffer
	c.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(ids) > 0 {
		n := min(len(ids), 100)
		fmt.Fprintf(&c, "%d beginbfchar\n", n)
		for _, id := range ids[:n] {
			fmt.Fprintf(&c, "<%04X> <%04X>\n", id, byGlyph[uint16(id)])
		}
		c.WriteString("endbfchar\n")
		ids = ids[n:]
	}
	c.WriteString("endcmap\nCMapName currentdict /CIDInit /ProcSet findresource pop\nend\nend\n")
	return c.Bytes()
}

// CheckHolder reports whether the holder line can be printed on a sheet, a
// phone card and a batch card (Options.Holder): every character in the
// embedded font, not wider than a batch card, and showing at most the last
// 4 characters of an ID number. A line that shows more is refused with an
// error that wraps ErrHolderShowsID and never repeats the line; the empty
// line is allowed.
//
// A number is a run of digits, masking stars and check characters (X after
// a digit or a star), which may be broken by single spaces or hyphens, so
// "1101 0519 4912 3100 2X" counts as one number showing 18 characters and
// "1101**********002X" as one showing 8. A birth date written 2019-01-01
// shows 8 and is refused too; a class ("3班") shows 1.
func CheckHolder(holder string) error {
	fi, err := loadFont()
	if err != nil {
		return err
	}
	if err := fi.checkText(holder); err != nil {
		return err
	}
	if err := checkHolderPrivacy(holder); err != nil {
		return err
	}
	if fi.width(labelHolder+holder, cardHolderSize) > cardHolderMax {
		return fmt.Errorf("%w: %q is wider than a card", errHolderTooLong, holder)
	}
	return nil
}

// cardFor lays out a batch card for text and o, checking that the holder
// line fits on it.
func cardFor(fi *fontInfo, text string, o *Options) (*card, error) {
	if o == nil {
		o = new(Options)
	}
	cd, err := newCard(fi, text, o.Holder, o.Level)
	if err != nil {
		return nil, err
	}
	if fi.width(labelHolder+o.Holder, cardHolderSize) > cardHolderMax {
		return nil, fmt.Errorf("%w: %q is wider than a card", errHolderTooLong, o.Holder)
	}
	return cd, nil
}

// Card is a code prepared for a batch: decoded, checked and encoded as a
// QR symbol. Preparing is most of the work of adding a code, and cards may
// be prepared concurrently, then added in order with Batch.Add.
type Card struct{ c *card }

// NewCard prepares a batch card for the code text with the options o. It
// refuses a text that does not decode (codec.Decode; its signature is not
// checked) and a holder line that does not pass CheckHolder.
func NewCard(text string, o *Options) (*Card, error) {
	fi, err := loadFont()
	if err != nil {
		return nil, err
	}
	c, err := cardFor(fi, text, o)
	if err != nil {
		return nil, err
	}
	return &Card{c}, nil
}

// Add puts a prepared card on the next place of the page. A write error
// is returned by this and every later call.
func (b *Batch) Add(c *Card) error {
	if b.closed {
		return errClosed
	}
	if b.err != nil {
		return b.err
	}
	b.place(c.c)
	return b.err
}

func (b *Batch) place(cd *card) {
	col, row := b.onPage%batchColumns, b.onPage/batchColumns
	drawCard(streamCanvas{buf: &b.page, font: b.fi, used: b.used}, b.fi, cd, float64(col)*cardW, float64(row)*cardH)
	b.onPage++
	b.count++
	if b.onPage == batchColumns*batchRows {
		b.flushPage()
	}
}

// flushPage draws the cut lines and writes the page.
func (b *Batch) flushPage() {
	c := streamCanvas{buf: &b.page, font: b.fi, used: b.used}
	c.setStroke(grey, 0.2, 2)
	for i := 1; i < batchColumns; i++ {
		c.line(float64(i)*cardW, 0, float64(i)*cardW, pageH)
	}
	for i := 1; i < batchRows; i++ {
		c.line(0, float64(i)*cardH, pageW, float64(i)*cardH)
	}
	content := len(b.offsets)
	b.stream(content, "", b.page.Bytes())
	id := content + 1
	b.object(id, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.3f %.3f] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
		objPages, pageW*ptPerMM, pageH*ptPerMM, objFont, content)
	b.kids = append(b.kids, id)
	b.page.Reset()
	b.onPage = 0
}

// Close writes the last page, the page tree and the trailer, and flushes.
// It does not close the underlying writer. A batch with no codes is an
// error.
func (b *Batch) Close() error {
	if b.closed {
		return errClosed
	}
	b.closed = true
	if b.count == 0 {
		return errors.New("render: batch has no codes")
	}
	if b.onPage > 0 {
		b.flushPage()
	}
	b.writeFont()
	var kids bytes.Buffer
	for i, k := range b.kids {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", k)
	}
	b.object(objPages, "<< /Type /Pages /Kids [%s] /Count %d >>", kids.Bytes(), len(b.kids))
	b.object(objCatalog, "<< /Type /Catalog /Pages %d 0 R >>", objPages)
	xref := b.n
	b.printf("xref\n0 %d\n0000000000 65535 f \n", len(b.offsets))
	for _, off := range b.offsets[1:] {
		b.printf("%010d 00000 n \n", off)
	}
	b.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(b.offsets), objCatalog, objInfo, xref)
	if b.err == nil {
		b.err = b.w.Flush()
	}
	if b.err != nil {
		return fmt.Errorf("render: writing batch PDF: %w", b.err)
	}
	return nil
}

// Card geometry.
const (
	cardHolderSize = 8.0
	cardHolderMax  = cardW - 14 - 4
)

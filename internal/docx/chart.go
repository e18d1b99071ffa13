package docx

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Pair is one category of a year-on-year bar chart: the year before's
// value and the year's. A category is numbered on the chart (1, 2, …) and
// named in the caption beside it: the picture carries no Chinese text, so
// that it needs no font on the server.
type Pair struct {
	Previous, Current float64
}

// The chart's colours: the year before in grey, the year in 中国红.
var (
	colourPrevious = color.RGBA{0xa6, 0xa6, 0xa6, 0xff}
	colourCurrent  = color.RGBA{0xc0, 0x00, 0x00, 0xff}
	colourAxis     = color.RGBA{0x40, 0x40, 0x40, 0xff}
)

// YearOnYear draws a bar chart of pairs as a PNG of width × height
// pixels: per category a grey bar (the year before) and a red one (the
// year), each with its value above it (as a percentage when percent: the
// values are ratios), the categories numbered from 1 under the axis.
// Values below zero are drawn as zero.
func YearOnYear(pairs []Pair, percent bool, width, height int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	const left, right, top, bottom = 20, 20, 24, 28
	plotW, plotH := width-left-right, height-top-bottom
	top0 := 0.0
	for _, p := range pairs {
		top0 = max(top0, p.Previous, p.Current)
	}
	if top0 == 0 {
		top0 = 1
	}
	axisY := top + plotH
	fill(img, image.Rect(left, axisY, width-right, axisY+1), colourAxis)
	if len(pairs) == 0 {
		return encode(img)
	}
	slot := plotW / len(pairs)
	bar := max(slot/4, 2)
	for i, p := range pairs {
		x := left + i*slot + slot/2
		for j, v := range []float64{p.Previous, p.Current} {
			c := colourPrevious
			if j == 1 {
				c = colourCurrent
			}
			h := int(max(v, 0) / top0 * float64(plotH-14))
			x0 := x - bar + j*bar
			fill(img, image.Rect(x0+1, axisY-h, x0+bar-1, axisY), c)
			label(img, x0+bar/2, axisY-h-3, number(v, percent))
		}
		label(img, x, axisY+16, strconv.Itoa(i+1))
	}
	return encode(img)
}

// number writes a value as the chart labels it: a whole number, or a
// ratio as a percentage.
func number(v float64, percent bool) string {
	if percent {
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// label writes ASCII text centred on x with its baseline at y.
func label(img *image.RGBA, x, y int, text string) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil()
	d := font.Drawer{Dst: img, Src: image.NewUniform(colourAxis), Face: face, Dot: fixed.P(x-w/2, y)}
	d.DrawString(text)
}

func encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

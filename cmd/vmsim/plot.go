package main

import (
	"fmt"
	"io"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// writePlots draws the fault curves of out (faults against frames, one line
// a policy) and writes them to the SVG and PNG files named, if any.
func writePlots(out compareJSON, title, svgPath, pngPath string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "frames"
	p.Y.Label.Text = "page faults"
	p.Y.Min = 0
	p.X.Tick.Marker = integerTicks{}
	p.Y.Tick.Marker = integerTicks{}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Points(8)
	p.Title.Padding = vg.Points(6)
	if n := len(out.Frames); n > 0 {
		p.X.Min, p.X.Max = float64(out.Frames[0])-0.25, float64(out.Frames[n-1])+0.25
	}
	for i, name := range out.Policies {
		pts := make(plotter.XYs, len(out.Frames))
		for j, k := range out.Frames {
			pts[j] = plotter.XY{X: float64(k), Y: float64(out.Faults[name][j])}
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return fmt.Errorf("plot %s: %w", name, err)
		}
		line.Color = plotutil.Color(i)
		line.Width = vg.Points(1.5)
		line.Dashes = plotutil.Dashes(i)
		points.Color = plotutil.Color(i)
		points.Shape = plotutil.Shape(i)
		p.Add(line, points)
		p.Legend.Add(name, line, points)
	}
	if p.Y.Max < 1 {
		p.Y.Max = 1
	}
	p.Y.Max *= 1.08 // room above the highest point for the legend
	for _, f := range []struct{ path, format string }{{svgPath, "svg"}, {pngPath, "png"}} {
		if f.path == "" {
			continue
		}
		if err := save(p, f.path, f.format); err != nil {
			return err
		}
	}
	return nil
}

// save draws p with a margin on a canvas of the format and writes it to path.
func save(p *plot.Plot, path, format string) error {
	const width, height = 8 * vg.Inch, 5 * vg.Inch
	var w io.WriterTo
	var c vg.CanvasSizer
	if format == "svg" {
		sc := vgsvg.New(width, height)
		w, c = sc, sc
	} else {
		ic := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(120))}
		w, c = ic, ic
	}
	margin := vg.Points(10)
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin, -margin))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// integerTicks puts ticks on whole numbers only, about ten of them, since
// frames and faults are counts.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep(hi - lo)
	var ticks []plot.Tick
	start := int(lo)
	if float64(start) < lo {
		start++
	}
	start = (start + step - 1) / step * step
	for v := start; float64(v) <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}
	return ticks
}

// niceStep returns the smallest of 1, 2, 5, 10, 20, 50, … that cuts span
// into at most 12 steps.
func niceStep(span float64) int {
	for m := 1; ; m *= 10 {
		for _, s := range []int{1, 2, 5} {
			if span/float64(s*m) <= 12 || m > 1e15 {
				return s * m
			}
		}
	}
}

var _ plot.Ticker = integerTicks{}

module github.com/olekukonko/tablewriter

go 1.26.0

require (
	github.com/fatih/color v1.19.0
	github.com/mattn/go-runewidth v0.0.31
	github.com/olekukonko/errors v1.2.0
	github.com/rivo/uniseg v0.4.7
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
)

require (
	github.com/clipperhouse/uax29/v2 v2.6.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
)

replace github.com/olekukonko/errors => ../olekukonko-errors

replace github.com/mattn/go-runewidth => ../runewidth

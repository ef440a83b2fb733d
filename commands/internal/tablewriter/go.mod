module github.com/olekukonko/tablewriter

go 1.21

require (
	github.com/fatih/color v1.15.0
	github.com/mattn/go-runewidth v0.0.16
	github.com/olekukonko/errors v1.1.0
	github.com/olekukonko/ll v0.0.9
	github.com/olekukonko/ts v0.0.0-20171002115256-78ecb04241c0
	github.com/rivo/uniseg v0.2.0
)

require (
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.19 // indirect
	golang.org/x/sys v0.12.0 // indirect
)

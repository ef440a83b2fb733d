module xvirsh

go 1.26.8

require (
	aaa/faststart v0.0.0
	github.com/beevik/etree v1.8.1
	github.com/c-bata/go-prompt v0.2.6
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/creack/pty v1.1.24
	github.com/mattn/go-runewidth v0.0.31
	github.com/olekukonko/tablewriter v1.0.9
	github.com/pmezard/go-difflib v1.0.0
	github.com/rogpeppe/go-internal v1.16.0
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
)

require (
	github.com/clipperhouse/uax29/v2 v2.6.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-tty v0.0.3 // indirect
	github.com/olekukonko/errors v1.2.0 // indirect
	github.com/pkg/term v1.2.0-beta.2 // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	golang.org/x/tools v0.26.0 // indirect
)

replace github.com/c-bata/go-prompt => ./shell/internal/goprompt

replace aaa/faststart => ./backend/internal/faststart

replace github.com/olekukonko/errors => ./commands/internal/olekukonko-errors

replace github.com/olekukonko/tablewriter => ./commands/internal/tablewriter

replace github.com/mattn/go-runewidth => ./commands/internal/runewidth

module github.com/c-bata/go-prompt

go 1.23

require (
	github.com/mattn/go-colorable v0.1.7
	github.com/mattn/go-runewidth v0.0.31
	github.com/mattn/go-tty v0.0.3
	github.com/pkg/term v1.2.0-beta.2
	golang.org/x/sys v0.0.0-20200918174421-af09f7315aff
)

require (
	github.com/clipperhouse/uax29/v2 v2.6.0 // indirect
	github.com/mattn/go-isatty v0.0.12 // indirect
)

replace github.com/mattn/go-runewidth => ../../../commands/internal/runewidth

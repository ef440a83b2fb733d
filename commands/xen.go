package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/pmezard/go-difflib/difflib"

	"xvirsh/backend"
	"xvirsh/xmlconv"
	"xvirsh/xmlconv/randbytes"
)

// xenCommands are xvirsh's own, for Xen operators: the raw SEXPR, the
// round-trip check, and the xend simulator.
func xenCommands() []*Command {
	return []*Command{
		{
			Name:        "dumpsxp",
			Group:       groupXen,
			Summary:     "domain information as xend's S-expression",
			Description: "Print the (domain ...) record xend holds for the domain, as\n`xm list --long` shows it.",
			Opts:        []Opt{domainOpt("domain name, id or uuid", anyState)},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				n, err := inv.Backend.Sexpr(ctx, d.Ref())
				if err != nil {
					return err
				}
				_, err = io.WriteString(inv.Out, n.Pretty())
				return err
			},
		},
		{
			Name:    "roundtrip",
			Group:   groupXen,
			Flags:   Changes,
			Summary: "check that a domain's XML survives define and dumpxml",
			Description: "Dump the domain's XML, define a copy under a scratch name, dump the\n" +
				"copy and undefine it again. Prints \"identical\", or a unified diff and\n" +
				"fails. Hosts without inactive domains (xend config format 1 and 2)\n" +
				"create and destroy the copy instead.",
			Opts: []Opt{domainOpt("domain name, id or uuid", anyState)},
			Run:  runRoundtrip,
		},
		xendSimCommand(),
	}
}

// cleanupTimeout bounds removing roundtrip's copy after an interruption.
const cleanupTimeout = 10 * time.Second

func runRoundtrip(ctx context.Context, inv *Invocation) (err error) {
	b := inv.Backend
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	if d.ID == 0 {
		// Domain-0 runs the host: it has no kernel or bootloader of its
		// own in xend's record, so a copy of it cannot be defined.
		return &Error{Msg: "Domain-0 is the host itself and cannot be copied: roundtrip works on guest domains"}
	}
	before, err := b.XML(ctx, d.Ref(), true)
	if err != nil {
		return err
	}
	scratchName := d.Name + "-roundtrip-" + randomHex(4)
	scratchUUID := backend.NewUUID()
	copyXML, err := renameXML(before, scratchName, scratchUUID)
	if err != nil {
		return err
	}
	created := false
	// remove takes the copy away again, even after Ctrl-C, within a bound
	// of its own so that a dead host cannot hold the shell.
	remove := func() error {
		cleanCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if created {
			return b.Destroy(cleanCtx, scratchUUID)
		}
		return b.Undefine(cleanCtx, scratchUUID)
	}
	_, err = b.Define(ctx, []byte(copyXML))
	if errors.Is(err, backend.ErrUnsupported) {
		_, err = b.Create(ctx, []byte(copyXML))
		created = true
	}
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted after the request left: the host may have made
			// the copy all the same.
			remove()
		}
		return &Error{Msg: fmt.Sprintf("Failed to define a copy of domain '%s'", d.Name), Err: err}
	}
	defer func() {
		if cerr := remove(); cerr != nil && err == nil {
			err = &Error{Msg: fmt.Sprintf("Failed to remove the copy '%s'", scratchName), Err: cerr}
		}
	}()
	after, err := b.XML(ctx, scratchUUID, true)
	if err != nil {
		return err
	}
	after = strings.NewReplacer(scratchName, d.Name, scratchUUID, d.UUID).Replace(after)
	a, z := NormalizeLive(before), NormalizeLive(after)
	if a == z {
		fmt.Fprintln(inv.Out, "identical")
		return nil
	}
	diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(z),
		FromFile: d.Name + " (dumpxml)", ToFile: d.Name + " (dumpxml of the defined copy)",
		Context: 3,
	})
	fmt.Fprint(inv.Out, diff)
	return errorf("domain '%s' changed in the round trip", d.Name)
}

// renameXML gives the XML a new name and UUID and drops the live id, so
// the copy can sit beside the original.
func renameXML(xml, name, uuid string) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return "", fmt.Errorf("XML error: %w", err)
	}
	root := doc.Root()
	if root == nil {
		return "", errors.New("XML error: no root element")
	}
	root.RemoveAttr("id")
	for tag, value := range map[string]string{"name": name, "uuid": uuid} {
		el := root.SelectElement(tag)
		if el == nil {
			el = root.CreateElement(tag)
		}
		el.SetText(value)
	}
	return doc.WriteToString()
}

// NormalizeLive is xmlconv.NormalizeLive for XML the converter printed;
// XML it cannot read comes back as it is, and then compares unequal.
func NormalizeLive(xml string) string {
	if n, err := xmlconv.NormalizeLive(xml); err == nil {
		return n
	}
	return xml
}

func randomHex(n int) string {
	b := make([]byte, n)
	randbytes.Read(b)
	return fmt.Sprintf("%x", b)
}

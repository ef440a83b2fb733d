package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"xvirsh/backend"
	"xvirsh/sexpr"
	"xvirsh/xmlconv"
	"xvirsh/xmlconv/xmcfg"
)

// The native formats xvirsh converts, under libvirt's names: xend's
// SEXPR and xm's config files (/etc/xen/NAME.cfg).
const (
	nativeFormat = "xen-sxpr"
	xmFormat     = "xen-xm"
)

// maxFileSize is virsh's limit on XML and config files.
const maxFileSize = 10 << 20

// fromFileCommand is create or define: read a domain XML file, hand it to
// the backend, say what became of it in virsh's words.
func fromFileCommand(name, summary, desc, done string, extra []Opt,
	op func(context.Context, *Invocation, []byte) (backend.Domain, error)) *Command {
	return &Command{
		Name:        name,
		Group:       groupDomain,
		Flags:       Changes,
		Summary:     summary,
		Description: desc,
		Opts:        append([]Opt{fileOpt("file", "file containing an XML domain description or an xm config")}, extra...),
		Run: func(ctx context.Context, inv *Invocation) error {
			file := inv.String("file")
			data, err := readInput(inv, file)
			if err != nil {
				return err
			}
			failed := fmt.Sprintf("Failed to %s domain from %s", name, file)
			if isXMConfig(data) {
				// As `xm create` does: the host's xend config format
				// says what the file's keys mean (vfb or vnc=, cdrom=).
				version, err := inv.Backend.ConfigFormat(ctx)
				if err != nil {
					return &Error{Msg: failed, Err: err}
				}
				xml, err := xmToXML(data, displayName(file), version)
				if err != nil {
					return &Error{Msg: failed, Err: err}
				}
				data = []byte(xml)
			} else if err := checkXMLSyntax(data); err != nil {
				return &Error{Msg: failed, Err: err}
			}
			d, err := op(ctx, inv, data)
			if err != nil {
				return &Error{Msg: failed, Err: err}
			}
			inv.status("Domain '%s' %s from %s\n", d.Name, done, file)
			return nil
		},
	}
}

// xmlCommands are the ones that move domain XML in or out: create,
// define, dumpxml and the two native converters.
func xmlCommands() []*Command {
	return []*Command{
		fromFileCommand("create", "create a domain from an XML file", "Create a domain from domain XML or an xm config file (/etc/xen/NAME.cfg),\ntold apart by content, not by the file name.", "created",
			[]Opt{{Name: "paused", Kind: KindBool, Help: "leave the guest paused after creation"}},
			func(ctx context.Context, inv *Invocation, xml []byte) (backend.Domain, error) {
				if !inv.Bool("paused") {
					return inv.Backend.Create(ctx, xml)
				}
				pc, ok := inv.Backend.(backend.PausedCreator)
				if !ok {
					return backend.Domain{}, fmt.Errorf("this connection cannot leave a new domain paused: %w", backend.ErrUnsupported)
				}
				return pc.CreatePaused(ctx, xml)
			}),
		fromFileCommand("define", "define (but don't start) a domain from an XML file", "Define a domain from domain XML or an xm config file, told apart by content.", "defined", nil,
			func(ctx context.Context, inv *Invocation, xml []byte) (backend.Domain, error) {
				return inv.Backend.Define(ctx, xml)
			}),
		{
			Name:        "dumpxml",
			Group:       groupDomain,
			Summary:     "domain information in XML",
			Description: "Output the domain information as an XML dump to stdout.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "inactive", Kind: KindBool, Help: "show inactive defined XML"},
				{Name: "security-info", Kind: KindBool, Help: "include security sensitive information in XML dump"},
				{Name: "xpath", Kind: KindString, Help: "xpath expression to filter the XML document", NoComplete: true},
				{Name: "wrap", Kind: KindBool, Help: "wrap xpath results in an common root element"},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				// VNC passwords stay out unless asked for, as in virsh, so
				// that a dump pasted into a ticket does not leak them.
				// Warnings go to the dispatcher's sink, which prints each once.
				if inv.Bool("security-info") {
					if err := backend.AllowSecure(inv.Backend); err != nil {
						return err
					}
				} else {
					ctx = backend.WithoutSecrets(ctx)
				}
				xml, err := inv.Backend.XML(ctx, d.Ref(), inv.Bool("inactive"))
				if err != nil {
					return err
				}
				if expr, ok := inv.Lookup("xpath"); ok {
					nodes, err := xpathSelect(xml, expr)
					if err != nil {
						return err
					}
					if xml, err = xpathOutput(nodes, inv.Bool("wrap")); err != nil {
						return err
					}
				}
				_, err = io.WriteString(inv.Out, xml)
				return err
			},
		},
		{
			Name:        "domxml-from-native",
			Group:       groupDomain,
			Summary:     "Convert native config to domain XML",
			Description: "Convert native guest configuration format to domain XML format.\nThe native format is xen-sxpr: xend's S-expressions, as `xm list --long`\nprints them, or xen-xm: an xm config file, as in /etc/xen/NAME.cfg.\nCONFIG may be - for standard input.",
			Flags:       NoBackend,
			Opts: []Opt{
				formatOpt("source config data format"),
				fileOpt("config", "config data file to import from"),
				versionOpt("xend config format of the input, 1..4 (default 4)"),
			},
			Run: runFromNative,
		},
		{
			Name:        "domxml-to-native",
			Group:       groupDomain,
			Summary:     "Convert domain XML to native config",
			Description: "Convert domain XML config to a native guest configuration format.\nThe native format is xen-sxpr, printed on one line as xend reads it, or\nxen-xm, an xm config file that `xm create` and `create` take.",
			Flags:       NoBackend,
			Opts: []Opt{
				formatOpt("target config data format"),
				{Name: "xml", Kind: KindString, Positional: true, Help: "xml data file to export from", Complete: completeFile},
				{Name: "domain", Kind: KindString, Help: "domain name, id or uuid", Complete: completeDomains(anyState)},
				versionOpt("xend config format to write, 1..4 (default: the host's with --domain, else 4)"),
			},
			Run: runToNative,
		},
	}
}

func formatOpt(help string) Opt {
	return Opt{Name: "format", Kind: KindString, Required: true, Positional: true, Help: help, Complete: completeFormat}
}

func versionOpt(help string) Opt {
	return Opt{Name: "xend-config-version", Kind: KindNumber, Help: help, Complete: completeVersion}
}

// configFormat reads the Number option name as a xend config format,
// 1 to 4, or gives def when it is absent. noun is what the error calls
// it ("version" for --xend-config-version, "format" for --config-format).
func configFormat(inv *Invocation, name, noun string, def int) (int, error) {
	if _, ok := inv.Lookup(name); !ok {
		return def, nil
	}
	v, err := inv.Int(name)
	if err != nil {
		return 0, err
	}
	if v < 1 || v > 4 {
		return 0, errorf("invalid argument: unsupported xend config %s %d (want 1 to 4)", noun, v)
	}
	return v, nil
}

// configVersion is --xend-config-version, or def when absent.
func configVersion(inv *Invocation, def int) (int, error) {
	return configFormat(inv, "xend-config-version", "version", def)
}

// checkFormat returns the native format asked for, one of the two.
func checkFormat(inv *Invocation) (string, error) {
	f := inv.String("format")
	if f != nativeFormat && f != xmFormat {
		return "", errorf("invalid argument: unsupported config type %s", f)
	}
	return f, nil
}

func runFromNative(_ context.Context, inv *Invocation) error {
	format, err := checkFormat(inv)
	if err != nil {
		return err
	}
	version, err := configVersion(inv, xmlconv.DefaultVersion)
	if err != nil {
		return err
	}
	file := inv.String("config")
	data, err := readInput(inv, file)
	if err != nil {
		return err
	}
	if format == xmFormat {
		xml, err := xmToXML(data, displayName(file), version)
		if err != nil {
			return err
		}
		_, err = io.WriteString(inv.Out, xml)
		return err
	}
	tree, err := sexpr.ParseFile(displayName(file), data)
	if err != nil {
		return errorf("failed to parse %s: %v", nativeFormat, err)
	}
	xml, err := xmlconv.ToXML(tree, xmlconv.Options{Version: version, Warn: inv.warn})
	if err != nil {
		return err
	}
	_, err = io.WriteString(inv.Out, xml)
	return err
}

func runToNative(ctx context.Context, inv *Invocation) error {
	format, err := checkFormat(inv)
	if err != nil {
		return err
	}
	if err := inv.Exclusive("domain", "xml"); err != nil {
		return err
	}
	var (
		data    []byte
		version = xmlconv.DefaultVersion
	)
	if ref, ok := inv.Lookup("domain"); ok {
		// Only --domain needs a host: its XML and its config format.
		if err := inv.connect(ctx); err != nil {
			return err
		}
		d, err := inv.lookup(ctx, ref)
		if err != nil {
			return err
		}
		x, err := inv.Backend.XML(ctx, d.Ref(), false)
		if err != nil {
			return err
		}
		if version, err = inv.Backend.ConfigFormat(ctx); err != nil {
			return err
		}
		data = []byte(x)
	} else if file, ok := inv.Lookup("xml"); ok {
		var err error
		if data, err = readInput(inv, file); err != nil {
			return err
		}
		if err := checkXMLSyntax(data); err != nil {
			return err
		}
	} else {
		return errorf("need either domain or domain XML")
	}
	version, err = configVersion(inv, version)
	if err != nil {
		return err
	}
	if format == xmFormat {
		cfg, err := xmlconv.ToXM(data, version)
		if err != nil {
			return err
		}
		out, err := cfg.Marshal()
		if err != nil {
			return err
		}
		_, err = inv.Out.Write(out)
		return err
	}
	tree, err := xmlconv.ToSexpr(data, version)
	if err != nil {
		return err
	}
	_, err = io.WriteString(inv.Out, tree.String()+"\n")
	return err
}

// isXMConfig tells an xm config from domain XML by content, never by the
// file's name: XML starts with '<' (after a byte order mark and blanks),
// which no xm statement or comment can.
func isXMConfig(data []byte) bool {
	t := strings.TrimLeft(strings.TrimPrefix(string(data), "\ufeff"), " \t\r\n")
	return t != "" && t[0] != '<'
}

// xmToXML reads an xm config file and converts it; the file's
// grammar errors name it, file:line:col.
func xmToXML(data []byte, source string, version int) (string, error) {
	cfg, err := xmcfg.Parse(data, source)
	if err != nil {
		return "", errorf("failed to parse %s: %v", xmFormat, err)
	}
	return xmlconv.XMToXML(cfg, xmlconv.Options{Version: version})
}

func displayName(file string) string {
	if file == "-" {
		return "<stdin>"
	}
	return file
}

// readInput reads FILE, or standard input for "-", with virsh's size limit
// and error wording.
func readInput(inv *Invocation, file string) ([]byte, error) {
	var r io.Reader
	if file == "-" {
		if inv.Env.IO.In == nil {
			return nil, errorf("Failed to read file '-': no standard input")
		}
		r = inv.Env.IO.In
	} else {
		f, err := os.Open(file)
		if err != nil {
			return nil, errorf("Failed to open file '%s': %s", file, errnoText(err))
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, errorf("Failed to read file '%s': %s", file, errnoText(err))
	}
	if len(data) > maxFileSize {
		return nil, errorf("Failed to read file '%s': file is larger than %d bytes", file, maxFileSize)
	}
	return data, nil
}

// errnoText gives the C library's wording of a system error ("No such file
// or directory"), as virsh prints it.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

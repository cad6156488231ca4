// kw-image builds the lab's images from static binaries and pushes them to the lab registry, with no
// other registry involved:
//
//	kw-image build -binary PATH -name NAME [-user UID:GID] -out DIR   one-layer OCI image layout
//	kw-image push -layout DIR -ref HOST:PORT/REPO:TAG                 plain-HTTP push, idempotent
package main

import (
	"flag"
	"fmt"
	"os"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kw-image build -binary PATH -name NAME [-user UID:GID] -out DIR | push -layout DIR -ref HOST:PORT/REPO:TAG")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	switch os.Args[1] {
	case "build":
		var spec ImageSpec
		flags.StringVar(&spec.Binary, "binary", "", "static binary to put in the image")
		flags.StringVar(&spec.Name, "name", "", "its name in the image; the entrypoint is /NAME")
		flags.StringVar(&spec.User, "user", "", "user the entrypoint runs as (default root)")
		out := flags.String("out", "", "directory of the OCI image layout to write")
		_ = flags.Parse(os.Args[2:])
		if spec.Binary == "" || spec.Name == "" || *out == "" {
			usage()
		}
		manifest, manifestJSON, err := BuildLayout(spec, *out)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kw-image: building %s: %v\n", *out, err)
			os.Exit(1)
		}
		fmt.Printf("kw-image: built %s: manifest %s, layer %d bytes compressed\n", spec.Name, digestOf(manifestJSON), manifest.Layers[0].Size)
	case "push":
		layout := flags.String("layout", "", "OCI image layout written by kw-image build")
		refText := flags.String("ref", "", "where to push it: HOST:PORT/REPO:TAG")
		_ = flags.Parse(os.Args[2:])
		if *layout == "" || *refText == "" {
			usage()
		}
		ref, err := ParseReference(*refText)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kw-image: %v\n", err)
			os.Exit(2)
		}
		changed, digest, err := Push(*layout, ref)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kw-image: pushing %s to %s: %v\n", *layout, ref, err)
			os.Exit(1)
		}
		state := "already present"
		if changed {
			state = "pushed"
		}
		fmt.Printf("kw-image: %s %s (%s)\n", ref, state, digest)
	default:
		usage()
	}
}

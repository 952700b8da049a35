// Command pulumi-resource-random is a stand-in for the Pulumi random provider
// in the hermetic e2e toolchain.
//
// Why it exists: the real provider (github.com/pulumi/pulumi-random/provider/v4,
// a Terraform-bridged provider) is not served by the Go module proxy reachable
// from this workplace at any release, so it cannot be built here. The
// platform program only uses random.RandomPassword; this plugin implements the
// same resource tokens and property names as @pulumi/random for
// RandomPassword and RandomString, so the npm SDK works against it unchanged.
// It is NOT the upstream provider: no import, no other resource types.
//
// Semantics follow the upstream provider: every input forces replacement,
// `result` is generated once at create time from crypto/rand honouring
// length/upper/lower/numeric/special/min*/overrideSpecial, and RandomPassword
// also returns `bcryptHash`. Both are returned as secrets for RandomPassword.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is set with -ldflags "-X main.version=..." to the npm version served.
var version = "4.21.2"

const (
	tokenPassword  = "random:index/randomPassword:RandomPassword"
	tokenString    = "random:index/randomString:RandomString"
	defaultSpecial = "!@#$%&*()-_=+[]{}<>:?"
)

type provider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Println(version)
		return
	}
	done := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: done,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(srv, &provider{})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start random provider: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "random provider stopped: %v\n", err)
		os.Exit(1)
	}
}

var marshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, marshalOpts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshalOpts)
}

func (p *provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	schema, err := json.Marshal(map[string]any{
		"name":        "random",
		"version":     version,
		"description": "Stand-in random provider for the hermetic e2e toolchain (RandomPassword, RandomString).",
	})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(schema)}, nil
}

func (p *provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *provider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *provider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func typeOf(urn string) string {
	return string(resource.URN(urn).Type())
}

// inputKeys are the inputs of both resources, with their defaults.
var boolDefaults = map[string]bool{
	"upper": true, "lower": true, "numeric": true, "number": true, "special": true,
}
var intKeys = []string{"length", "minUpper", "minLower", "minNumeric", "minSpecial"}

func (p *provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	t := typeOf(req.GetUrn())
	if t != tokenPassword && t != tokenString {
		return nil, fmt.Errorf("the stand-in random provider does not implement %s", t)
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	fail := func(prop, reason string) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: prop, Reason: reason})
	}
	for k, def := range boolDefaults {
		key := resource.PropertyKey(k)
		v, ok := news[key]
		if !ok || v.IsNull() {
			news[key] = resource.NewProperty(def)
		} else if !v.IsBool() && !v.IsComputed() {
			fail(k, k+" must be a boolean")
		}
	}
	// `number` is the deprecated spelling of `numeric`: keep them in step.
	if n, ok := news["number"]; ok && n.IsBool() && !n.BoolValue() {
		news["numeric"] = resource.NewProperty(false)
	}
	for _, k := range intKeys {
		key := resource.PropertyKey(k)
		v, ok := news[key]
		if !ok || v.IsNull() {
			if k == "length" {
				fail(k, "missing required property 'length'")
				continue
			}
			news[key] = resource.NewProperty(0.0)
		} else if !v.IsNumber() && !v.IsComputed() {
			fail(k, k+" must be a number")
		}
	}
	if l, ok := news["length"]; ok && l.IsNumber() {
		min := 0.0
		for _, k := range intKeys[1:] {
			if v := news[resource.PropertyKey(k)]; v.IsNumber() {
				min += v.NumberValue()
			}
		}
		if l.NumberValue() < 1 {
			fail("length", "length must be at least 1")
		} else if l.NumberValue() < min {
			fail("length", fmt.Sprintf("length (%v) is smaller than the sum of the minimums (%v)", l.NumberValue(), min))
		}
	}
	inputs, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

var replaceKeys = []string{
	"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper",
	"number", "numeric", "overrideSpecial", "special", "upper",
}

func (p *provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var replaces []string
	for _, k := range replaceKeys {
		key := resource.PropertyKey(k)
		o, n := olds[key], news[key]
		if n.ContainsUnknowns() || !o.DeepEquals(n) {
			// A missing optional input equals its default.
			if isUnsetOrDefault(k, o) && isUnsetOrDefault(k, n) {
				continue
			}
			replaces = append(replaces, k)
		}
	}
	if len(replaces) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	sort.Strings(replaces)
	return &pulumirpc.DiffResponse{
		Changes: pulumirpc.DiffResponse_DIFF_SOME, Replaces: replaces, Diffs: replaces,
	}, nil
}

func isUnsetOrDefault(k string, v resource.PropertyValue) bool {
	if v.IsNull() {
		return true
	}
	if def, ok := boolDefaults[k]; ok {
		return v.IsBool() && v.BoolValue() == def
	}
	if v.IsNumber() {
		return k != "length" && v.NumberValue() == 0
	}
	if v.IsString() {
		return v.StringValue() == ""
	}
	if v.IsObject() {
		return len(v.ObjectValue()) == 0
	}
	return false
}

func (p *provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	t := typeOf(req.GetUrn())
	props, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	secret := t == tokenPassword
	wrap := func(v resource.PropertyValue) resource.PropertyValue {
		if secret {
			return resource.MakeSecret(v)
		}
		return v
	}
	if req.GetPreview() {
		props["result"] = wrap(resource.MakeComputed(resource.NewProperty("")))
		if t == tokenPassword {
			props["bcryptHash"] = wrap(resource.MakeComputed(resource.NewProperty("")))
		}
		out, err := marshal(props)
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: out}, nil
	}
	result, err := generate(props)
	if err != nil {
		return nil, err
	}
	props["result"] = wrap(resource.NewProperty(result))
	id := "none"
	if t == tokenPassword {
		hash, err := bcrypt.GenerateFromPassword([]byte(result), bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		props["bcryptHash"] = wrap(resource.NewProperty(string(hash)))
	} else {
		id = result
	}
	out, err := marshal(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (p *provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	// Nothing lives outside the state: reading returns what we have.
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	// Every input forces replacement, so an update only ever carries over
	// defaults: keep the generated values, take the new inputs.
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	for _, k := range []resource.PropertyKey{"result", "bcryptHash"} {
		if v, ok := olds[k]; ok {
			news[k] = v
		}
	}
	out, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

func (p *provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func intProp(props resource.PropertyMap, k string) int {
	if v := props[resource.PropertyKey(k)]; v.IsNumber() {
		return int(v.NumberValue())
	}
	return 0
}

func boolProp(props resource.PropertyMap, k string) bool {
	if v := props[resource.PropertyKey(k)]; v.IsBool() {
		return v.BoolValue()
	}
	return boolDefaults[k]
}

func randomFrom(charset string) (byte, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(charset))))
	if err != nil {
		return 0, err
	}
	return charset[n.Int64()], nil
}

// generate builds the random string: first the per-class minimums, then the
// rest from the union of enabled classes, then a crypto-random shuffle.
func generate(props resource.PropertyMap) (string, error) {
	const (
		upper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		lower   = "abcdefghijklmnopqrstuvwxyz"
		numeric = "0123456789"
	)
	special := defaultSpecial
	if v := props["overrideSpecial"]; v.IsString() && v.StringValue() != "" {
		special = v.StringValue()
	}
	length := intProp(props, "length")
	classes := []struct {
		on      bool
		charset string
		min     int
	}{
		{boolProp(props, "upper"), upper, intProp(props, "minUpper")},
		{boolProp(props, "lower"), lower, intProp(props, "minLower")},
		{boolProp(props, "numeric") && boolProp(props, "number"), numeric, intProp(props, "minNumeric")},
		{boolProp(props, "special"), special, intProp(props, "minSpecial")},
	}
	var all strings.Builder
	var out []byte
	for _, c := range classes {
		if c.min > 0 || c.on {
			for i := 0; i < c.min; i++ {
				b, err := randomFrom(c.charset)
				if err != nil {
					return "", err
				}
				out = append(out, b)
			}
		}
		if c.on {
			all.WriteString(c.charset)
		}
	}
	if all.Len() == 0 {
		return "", errors.New("at least one of upper, lower, numeric or special must be enabled")
	}
	for len(out) < length {
		b, err := randomFrom(all.String())
		if err != nil {
			return "", err
		}
		out = append(out, b)
	}
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return string(out), nil
}

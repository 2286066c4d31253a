// Writing a generated SDK's files (see sdktree.go): the standard library only, so
// both generator modules (../go.mod and ../cmd/pulumi-gen-braket-dotnet/go.mod)
// can require it whatever pkg/v3 they pin.
module github.com/pulumi-braket/pulumi-braket/provider/sdktree

go 1.24.7

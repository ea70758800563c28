"""Disguised copies of an answer, as a student hiding a copy would make them: the similarity corpus.

Each disguise keeps the code's behaviour (they are checked by running both versions in the tests):

- `rename`: every name the code binds (arguments, variables, helper functions) gets another name;
  the graded function keeps its own, as it must.
- `comments`: a comment line and a blank line after every statement, and a comment at the end of it.
- `split`: the graded function's second half moves into a new helper function that the first half
  calls with what it needs.
- `reorder`: the cell's functions in the opposite order (an answer with one function is split first).
- `all`: rename, split, reorder and comments together.
"""

from __future__ import annotations

import ast
import builtins
import io
import tokenize
from collections.abc import Callable

_WORDS = ("val", "arr", "tmp", "res", "acc", "buf", "cur", "aux", "item", "data", "elem", "part")


def rename(code: str, keep: str) -> str:
    """Every name bound in `code` renamed consistently, except the function `keep` and builtins."""
    tree = ast.parse(code)
    bound: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.append(node.id)
        elif isinstance(node, ast.arg):
            bound.append(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.append(node.name)
    names = [n for n in dict.fromkeys(bound) if n != keep and not hasattr(builtins, n) and n != "_"]
    mapping = {n: f"{_WORDS[i % len(_WORDS)]}{i // len(_WORDS) or ''}_{len(n)}" for i, n in enumerate(names)}

    class Renamer(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            node.id = mapping.get(node.id, node.id)
            return node

        def visit_arg(self, node: ast.arg) -> ast.arg:
            node.arg = mapping.get(node.arg, node.arg)
            return self.generic_visit(node)

        def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
            node.name = mapping.get(node.name, node.name)
            return self.generic_visit(node)

        visit_AsyncFunctionDef = visit_FunctionDef

    renamed = Renamer().visit(tree)
    # Keyword arguments naming the graded function's own parameters (e.g. `mode=mode` in a recursive
    # call) must follow the rename; those of library calls (`dtype=`) must not. Calls into the cell's
    # own functions are rare in answers, so keywords are renamed only where the callee is the cell's.
    own = {mapping.get(n, n) for n in names} | {keep}
    for node in ast.walk(renamed):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in own:
            for kw in node.keywords:
                if kw.arg in mapping:
                    kw.arg = mapping[kw.arg]
    return ast.unparse(renamed)


def comments(code: str) -> str:
    """A comment line and a blank line after every logical line, and a comment at the end of each."""
    lines = code.splitlines()
    ends = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(code + "\n").readline)
            if tok.type == tokenize.NEWLINE}
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if number in ends and not line.rstrip().endswith(":") and "#" not in line:
            out.append(f"{line}  # step {number}")
        else:
            out.append(line)
        if number in ends:
            following = next((ln for ln in lines[number:] if ln.strip()), "")
            indent = following[: len(following) - len(following.lstrip())]
            out.extend(["", f"{indent}# this part does the next step of the computation", ""])
    return "\n".join(out) + "\n"


def _function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise ValueError(f"no top-level function {name!r}")


def _body_without_docstring(fn: ast.FunctionDef) -> list[ast.stmt]:
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


def can_split(code: str, function: str) -> bool:
    """Whether `function` has at least two statements to split between two functions."""
    try:
        return len(_body_without_docstring(_function(ast.parse(code), function))) >= 2
    except (SyntaxError, ValueError):
        return False


def split(code: str, function: str) -> str:
    """`function`'s second half moved into a helper it calls with every name that half reads from
    the first half or from the arguments (so the behaviour is the same)."""
    tree = ast.parse(code)
    fn = _function(tree, function)
    body = _body_without_docstring(fn)
    if len(body) < 2:
        raise ValueError(f"{function} has a single statement: nothing to split")
    middle = len(body) // 2
    head, tail = body[:middle], body[middle:]
    params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)]
    params += [a.arg for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
    stored = {n.id for s in head for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = [n.id for s in tail for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    passed = [n for n in dict.fromkeys(read) if n in stored or n in params]
    helper_name = f"_{function}_rest"
    helper = ast.FunctionDef(name=helper_name, args=ast.arguments(posonlyargs=[], args=[ast.arg(n) for n in passed],
                                                                   kwonlyargs=[], kw_defaults=[], defaults=[]),
                             body=tail, decorator_list=[])
    call = ast.Return(ast.Call(ast.Name(helper_name, ast.Load()), [ast.Name(n, ast.Load()) for n in passed], []))
    fn.body = [*fn.body[: len(fn.body) - len(body)], *head, call]
    tree.body.insert(tree.body.index(fn), helper)
    return ast.unparse(ast.fix_missing_locations(tree))


def reorder(code: str, function: str) -> str:
    """The cell's top-level functions in the opposite order (split first when there is only one)."""
    tree = ast.parse(code)
    if sum(isinstance(s, ast.FunctionDef) for s in tree.body) < 2:
        tree = ast.parse(split(code, function))
    defs = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
    others = [s for s in tree.body if not isinstance(s, ast.FunctionDef)]
    tree.body = [*others, *reversed(defs)]
    return ast.unparse(tree)


def everything(code: str, function: str) -> str:
    """Rename, split, reorder and comments together."""
    return comments(rename(reorder(code, function), keep=function))


DISGUISES: dict[str, Callable[[str, str], str]] = {
    "rename": lambda code, function: rename(code, keep=function),
    "comments": lambda code, function: comments(code),
    "split": split,
    "reorder": reorder,
    "all": everything,
}


def disguises(code: str, function: str) -> dict[str, str]:
    """Every disguise of `code` that applies to it (split and what needs it only with two statements)."""
    needs_split = {"split", "reorder", "all"}
    return {kind: make(code, function) for kind, make in DISGUISES.items()
            if kind not in needs_split or can_split(code, function) or
            (kind != "split" and sum(isinstance(s, ast.FunctionDef) for s in ast.parse(code).body) >= 2)}

"""Runs a LeetCode-style Python solution on its problem's examples: guidesmith's `examples` check.

    python3 run_examples.py solution.py examples.json

examples.json is a list of {"input": "nums = [2,7,11,15], target = 9", "output": "[0,1]"}, as
LeetCode writes them. The solution's class Solution is made, its one public method called with each
example's input, and the result compared with the expected output. Exits 1 (saying which example
and what came back) when one differs or raises; 0 when all that could be run agree. An example that
cannot be read as Python values, a class without exactly one public method (a design problem), or a
method that returns None (it changes its input in place) is not run: this check only says "wrong"
when it is sure. The check's timeout-seconds limits the whole run.
"""
import ast
import inspect
import json
import math
import re
import sys
import traceback
from typing import *  # noqa: F401,F403 - LeetCode's Python solutions assume List, Optional, ...
import collections, heapq, bisect, itertools, functools, string  # noqa: E401,F401 - and these
from collections import *  # noqa: F401,F403
from functools import *  # noqa: F401,F403
from itertools import *  # noqa: F401,F403
from heapq import *  # noqa: F401,F403
from bisect import *  # noqa: F401,F403
from math import *  # noqa: F401,F403


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


class Unreadable(Exception):
    pass


WORDS = {"true": True, "false": False, "null": None, "None": None, "True": True, "False": False}


def value(node):
    """A literal, reading JSON's true, false and null as LeetCode's examples write them."""
    if isinstance(node, ast.Name) and node.id in WORDS:
        return WORDS[node.id]
    if isinstance(node, ast.List):
        return [value(item) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(value(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return {value(k): value(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -value(node.operand)
    if isinstance(node, ast.Constant):
        return node.value
    raise Unreadable(ast.dump(node))


def arguments(text):
    """'nums = [2,7], target = 9' or '[2,7], 9': positional values and keyword values."""
    text = text.strip().replace("\n", " ")
    try:
        call = ast.parse("f(" + text + ")", mode="eval").body
    except SyntaxError as e:
        raise Unreadable(str(e))
    return [value(a) for a in call.args], {k.arg: value(k.value) for k in call.keywords if k.arg}


def expected(text):
    text = text.strip()
    try:
        return value(ast.parse(text, mode="eval").body)
    except (SyntaxError, Unreadable):
        raise Unreadable(text)


def to_list_node(values):
    head = tail = None
    for v in values or []:
        node = ListNode(v)
        if head is None:
            head = tail = node
        else:
            tail.next = node
            tail = node
    return head


def to_tree_node(values):
    if not values or values[0] is None:
        return None
    root = TreeNode(values[0])
    queue, i = collections.deque([root]), 1
    while queue and i < len(values):
        node = queue.popleft()
        for side in ("left", "right"):
            if i < len(values) and values[i] is not None:
                child = TreeNode(values[i])
                setattr(node, side, child)
                queue.append(child)
            i += 1
    return root


def plain(result):
    """A result as the examples write it: lists for linked lists and trees."""
    if isinstance(result, ListNode):
        out, seen = [], 0
        while result is not None and seen < 100000:
            out.append(result.val)
            result, seen = result.next, seen + 1
        return out
    if isinstance(result, TreeNode):
        out, queue = [], collections.deque([result])
        while queue:
            node = queue.popleft()
            out.append(None if node is None else node.val)
            if node is not None:
                queue.extend([node.left, node.right])
        while out and out[-1] is None:
            out.pop()
        return out
    if isinstance(result, tuple):
        return list(result)
    return result


def same(got, want):
    if isinstance(got, float) or isinstance(want, float):
        try:
            return math.isclose(float(got), float(want), rel_tol=1e-5, abs_tol=1e-5)
        except (TypeError, ValueError):
            return False
    if isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            return False
        if all(same(g, w) for g, w in zip(got, want)):
            return True
        try:  # many problems accept any order
            return sorted(map(repr, got)) == sorted(map(repr, want))
        except TypeError:
            return False
    return got == want


def convert(arg, annotation):
    hint = str(annotation)
    if "ListNode" in hint and isinstance(arg, list):
        return to_list_node(arg)
    if "TreeNode" in hint and isinstance(arg, list):
        return to_tree_node(arg)
    return arg


def readable(examples):
    """The examples that read as Python values: (number, input, positional, keyword, expected)."""
    found = []
    for number, example in enumerate(examples, 1):
        try:
            args, kwargs = arguments(example.get("input", ""))
            want = expected(example.get("output", ""))
        except Unreadable:
            continue
        found.append((number, example.get("input", "").strip(), args, kwargs, want, example.get("output", "").strip()))
    return found


def entry_point(namespace):
    """The method LeetCode calls: the one public method of class Solution, or the module's one function."""
    solution = namespace.get("Solution")
    if isinstance(solution, type):
        methods = [name for name, v in vars(solution).items() if callable(v) and not name.startswith("_")]
        if len(methods) != 1:
            return None, "class Solution has %d public methods (a design problem?)" % len(methods)
        return getattr(solution(), methods[0]), None
    functions = [v for name, v in namespace.items() if inspect.isfunction(v) and not name.startswith("_")
                 and getattr(v, "__module__", None) == "solution"]
    if len(functions) == 1:
        return functions[0], None
    return None, "the code defines no class Solution"


def main(solution_file, examples_file):
    with open(examples_file, encoding="utf-8") as f:
        examples = readable(json.load(f))
    if not examples:
        print("No example reads as Python values: none run")
        return 0
    with open(solution_file, encoding="utf-8") as f:
        source = f.read()
    namespace = dict(globals())
    namespace["__name__"] = "solution"
    exec(compile(source, solution_file, "exec"), namespace)
    call, why = entry_point(namespace)
    if call is None:
        print("Not run: " + why)
        return 0
    params = list(inspect.signature(call).parameters.values())
    failures, ran = [], 0
    for number, text, args, kwargs, want, shown_want in examples:
        values = args + [kwargs[p.name] for p in params[len(args):] if p.name in kwargs]
        if len(values) != len(params):
            continue
        values = [convert(v, p.annotation) for v, p in zip(values, params)]
        shown = "%s(%s)" % (call.__name__, text)
        try:
            got = call(*values)
        except Exception:
            failures.append("Example %d: %s raised:\n%s" % (number, shown, traceback.format_exc(limit=-2).strip()))
            continue
        if got is None:
            continue
        ran += 1
        if not same(plain(got), want):
            failures.append("Example %d: %s returned %r, expected %s" % (number, shown, plain(got), shown_want))
    for failure in failures:
        print(failure)
    if not failures:
        print("%d of %d readable example(s) run, all as expected" % (ran, len(examples)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

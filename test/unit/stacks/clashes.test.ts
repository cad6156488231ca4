import { findClashes, normalizeHost } from "../../../stacks/clashes";

describe("normalizeHost: one spelling per address", () => {
  test.each([
    ["10.0.0.21", "10.0.0.21"],
    ["Web-1.Example.COM", "web-1.example.com"],
    ["web-1.example.com.", "web-1.example.com"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["[::1]", "::1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:10.0.0.21", "10.0.0.21"],
    ["::FFFF:a00:15", "10.0.0.21"],
  ])("%s → %s", (host, normalized) => {
    expect(normalizeHost(host)).toBe(normalized);
  });
});

describe("findClashes", () => {
  test("distinct entries have no clash", () => {
    expect(
      findClashes([
        { name: "web-1", host: "10.0.0.21" },
        { name: "web-2", host: "10.0.0.22", nodeName: "web-2" },
        { name: "web-3", host: "10.0.0.21", port: 2222 },
      ]),
    ).toEqual([]);
  });

  test("the same host in two entries, spelled differently, names both entries", () => {
    expect(findClashes([{ name: "a", host: "2001:db8::1" }, { name: "b", host: "10.0.0.9" }, { name: "c", host: "2001:DB8:0::0:1", port: 22 }])).toEqual([
      "nodes[0] (a) and nodes[2] (c) are the same machine (host 2001:db8::1, port 22): a host can be one worker only; remove all but one of these entries",
    ]);
  });

  test("every clash is listed: names, hosts and node names, three entries at once", () => {
    const problems = findClashes([
      { name: "web-1", host: "10.0.0.21", nodeName: "web" },
      { name: "web-1", host: "WEB.example.com" },
      { name: "web-3", host: "web.example.com", nodeName: "Web" },
      { name: "web-4", host: "10.0.0.21" },
      { name: "web-5", host: "10.0.0.21" },
    ]);
    expect(problems).toEqual([
      'nodes[0] (web-1) and nodes[1] (web-1) use the same name "web-1": each entry needs its own (it names the Pulumi resource)',
      "nodes[0] (web-1), nodes[3] (web-4) and nodes[4] (web-5) are the same machine (host 10.0.0.21, port 22): a host can be one worker only; remove all but one of these entries",
      "nodes[1] (web-1) and nodes[2] (web-3) are the same machine (host web.example.com, port 22): a host can be one worker only; remove all but one of these entries",
      'nodes[0] (web-1) and nodes[2] (web-3) use the same nodeName "web": two hosts cannot register one Node; give each its own nodeName',
    ]);
  });
});

test("values of the wrong type are no clash and no crash (their entry's validation names them)", () => {
  const entries = [
    { name: "a", host: "10.0.0.1", nodeName: 5 },
    { name: "b", host: ["10.0.0.1"], nodeName: 5 },
  ] as unknown as Parameters<typeof findClashes>[0];
  expect(findClashes(entries)).toEqual([]);
});

// Builds the fork view from the embedded report: header, timeline, and the Cytoscape graph of
// threads and the locks they held. Report text only ever reaches the page through textContent.
(function () {
  'use strict';
  var started = performance.now();
  var report = JSON.parse(document.getElementById('forkguard-report').textContent);
  var COLORS = {
    forking: '#1e8e3e', holder: '#e8710a', thread: '#9aa0a6', agent: '#dadce0', lock: '#d93025',
    classInit: '#9334e6', os: '#bdc1c6', python: '#3776ab', HUNG: '#d93025', EXITED: '#5f6368', RUNNING: '#f9ab00', EXEC: '#1a73e8', KILLED: '#a50e0e'
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function header() {
    var h1 = document.getElementById('title');
    h1.appendChild(document.createTextNode('Fork #' + report.sequence + ' in pid ' + report.parentPid
        + (report.childPid ? ', child pid ' + report.childPid : '')));
    h1.appendChild(el('span', 'severity ' + report.severity, report.severity));
    document.getElementById('headline').textContent = report.headline;
  }

  // Fork (and its snapshot pause) at the left, the child's latest verdict at its time after the fork.
  function timeline() {
    var t = document.getElementById('timeline');
    t.appendChild(el('div', 'axis'));
    function mark(pct, cls, above, below) {
      var m = el('div', 'mark ' + cls);
      m.style.left = 'calc(40px + (100% - 80px) * ' + pct + ')';
      t.appendChild(m);
      [['above', above], ['below', below]].forEach(function (p) {
        // Labels open away from the ends of the axis, so neither leaves the box.
        var l = el('div', 'label ' + p[0] + (pct === 0 ? ' start' : ' end'), p[1]);
        l.style.left = pct === 0 ? '20px' : 'auto';
        l.style.right = pct === 0 ? 'auto' : '20px';
        t.appendChild(l);
      });
    }
    var forking = report.forkingThread ? '"' + report.forkingThread.name + '"' : 'a thread';
    mark(0, 'fork', 'fork() by ' + forking + ' at ' + report.time,
        'snapshot pause ' + report.snapshotMicros + ' µs' + (report.stacksAfterForkMicros > 0
            ? '; stacks and monitors as ' + (report.stacksAfterForkMicros / 1000).toFixed(1) + ' ms after the fork'
            : '') + (report.threadSummary && report.threadSummary.virtualThreads > 0
            ? '; virtual threads as ' + (report.threadSummary.virtualThreadsAfterForkMicros / 1000).toFixed(0)
              + ' ms after the fork' : ''));
    var o = report.outcome;
    if (o) {
      var code = o.exitCode !== null && o.exitCode !== undefined ? ', code ' + o.exitCode
          : (o.signal ? ', signal ' + o.signal : '');
      mark(1, o.verdict, 'child ' + (report.childPid || '') + ': ' + o.verdict + code + ' at +' + o.afterMillis + ' ms',
          o.detail);
    } else {
      mark(1, 'none', 'child ' + (report.childPid || '?') + ': no watchdog verdict', 'the watchdog was off');
    }
  }

  function shortType(type) {
    var dot = type ? type.lastIndexOf('.') : -1;
    return dot >= 0 ? type.substring(dot + 1) : (type || 'lock');
  }

  function hashOf(identity) {
    var at = identity ? identity.lastIndexOf('@') : -1;
    return at >= 0 ? identity.substring(at) : '';
  }

  function groupName(g) {
    var literal = g.namePattern.replace(/\*/g, '');
    if (g.namePattern === '') { return '"" (unnamed)'; }
    return literal ? '"' + g.namePattern + '"' : g.someNames.map(function (n) { return '"' + n + '"'; }).join(', ')
        + (g.count > g.someNames.length ? ', …' : '');
  }

  function elements() {
    var nodes = [], edges = [], holders = {}, executors = {};
    (report.orphanedLocks || []).forEach(function (l) { holders[l.holderId] = true; });
    (report.classInitInProgress || []).forEach(function (c) { holders[c.threadId] = true; });
    function executorParent(t) {
      if (!t.executor && t.virtual && t.container && t.container !== '<root>') {
        // Virtual threads of an executor: their thread container stands for it.
        var cid = 'container:' + t.container;
        if (!executors[cid]) {
          executors[cid] = true;
          nodes.push({ group: 'nodes', classes: 'executor',
            data: { id: cid, label: shortType(t.container), kind: 'executor', item: { identity: t.container,
              createdAt: 'not tracked (a thread container of virtual threads)' } } });
        }
        return cid;
      }
      if (!t.executor) { return undefined; }
      var id = 'executor:' + t.executor.identity;
      if (!executors[id]) {
        executors[id] = true;
        nodes.push({ group: 'nodes', classes: 'executor',
          data: { id: id, label: shortType(t.executor.identity), kind: 'executor', item: t.executor } });
      }
      return id;
    }
    if (report.forkingThread) {
      var f = report.forkingThread;
      nodes.push({ group: 'nodes', classes: 'thread forking',
        data: { id: 'thread:' + f.id, label: f.name + ' (forks)', kind: 'forking thread',
          item: f, parent: executorParent(f) } });
      if (report.childPid) {
        var verdict = report.outcome ? report.outcome.verdict : 'no verdict';
        nodes.push({ group: 'nodes', classes: 'child ' + verdict,
          data: { id: 'child', label: 'child ' + report.childPid + '\n' + verdict, kind: 'child', item: report.outcome } });
        edges.push({ group: 'edges', classes: 'forks', data: { id: 'edge:fork', source: 'thread:' + f.id, target: 'child',
          label: 'fork()' } });
      }
    }
    // A group of alike threads is one node with its count; its members are not drawn one by one.
    var groups = {};
    ((report.threadSummary || {}).groups || []).forEach(function (g) { groups[g.id] = g; });
    var groupDrawn = {};
    (report.vanishingThreads || []).forEach(function (t) {
      if (t.group !== null && t.group !== undefined && groups[t.group]) {
        var g = groups[t.group];
        if (!groupDrawn[g.id]) {
          groupDrawn[g.id] = true;
          nodes.push({ group: 'nodes', classes: 'thread vanishing group' + (g.virtual ? ' virtual' : ''),
            data: { id: 'group:' + g.id, label: g.count.toLocaleString('en') + (g.namePattern === '' ? ' unnamed' : '')
                + (g.virtual ? ' virtual' : '') + ' threads' + (g.namePattern === '' ? '' : '\n' + groupName(g)),
              kind: 'group of ' + (g.virtual ? 'virtual ' : '') + 'threads', item: g, parent: executorParent(g),
              size: Math.min(70, 26 + 8 * Math.log10(g.count)) } });
        }
        return;
      }
      var cls = 'thread vanishing' + (holders[t.id] ? ' holder' : '') + (t.agentThread ? ' agent' : '')
          + (t.virtual ? ' virtual' : '');
      nodes.push({ group: 'nodes', classes: cls,
        data: { id: 'thread:' + t.id, label: t.name || ('#' + t.id), kind: holders[t.id] ? 'vanishing thread holding a lock'
          : (t.agentThread ? 'forkguard thread (vanishes)' : 'vanishing thread'), item: t, parent: executorParent(t) } });
    });
    (report.orphanedLocks || []).forEach(function (l, i) {
      var id = 'lock:' + l.identity;
      nodes.push({ group: 'nodes', classes: 'lock orphaned ' + l.kind,
        data: { id: id, label: shortType(l.type) + hashOf(l.identity), kind: 'orphaned lock (' + l.kind + ')', item: l } });
      edges.push({ group: 'edges', classes: 'holds', data: { id: 'edge:lock:' + i, source: 'thread:' + l.holderId,
        target: id, label: l.kind === 'MONITOR' ? 'locked' : 'holds' } });
    });
    (report.classInitInProgress || []).forEach(function (c, i) {
      var id = 'class:' + c.className;
      nodes.push({ group: 'nodes', classes: 'classInit',
        data: { id: id, label: shortType(c.className) + '.<clinit>', kind: 'class initialisation in progress', item: c } });
      edges.push({ group: 'edges', classes: 'initialises', data: { id: 'edge:class:' + i,
        source: 'thread:' + c.threadId, target: id, label: 'initialising' } });
    });
    pythonThreads().forEach(function (t, i) {
      nodes.push({ group: 'nodes', classes: 'python vanishing',
        data: { id: 'python:' + i, label: t.name, kind: 'vanishing Python thread', item: t } });
    });
    var os = report.osThreads || [];
    if (os.length) {
      nodes.push({ group: 'nodes', classes: 'os vanishing',
        data: { id: 'os-threads', label: os.length + ' JVM-internal and\nnative threads', kind: 'OS threads that vanish',
          item: os } });
    }
    // An edge to a node the report does not list (a holder id it lost) would break the graph.
    var ids = {};
    nodes.forEach(function (n) { ids[n.data.id] = true; });
    return nodes.concat(edges.filter(function (e) { return ids[e.data.source] && ids[e.data.target]; }));
  }

  // The fork seen from Python (forkguard's Python package): tracebacks as Python prints them.
  function pythonThreads() {
    return report.python && report.python.vanishingThreads ? report.python.vanishingThreads : [];
  }

  function pythonTraceback(stack) {
    var lines = [];
    (stack || []).forEach(function (f) {
      lines.push('File "' + f.file + '", line ' + f.line + ', in ' + f.function);
      if (f.code) { lines.push('  ' + f.code); }
    });
    return lines;
  }

  var style = [
    { selector: 'node', style: { 'label': 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 140, 'font-size': 12,
      'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': COLORS.thread, 'width': 22, 'height': 22,
      'border-width': 1, 'border-color': '#5f6368', 'color': '#202124' } },
    { selector: 'node.group', style: { 'shape': 'round-rectangle', 'width': 'data(size)', 'height': 'data(size)',
      'background-color': '#80868b', 'border-width': 2, 'border-color': '#3c4043', 'font-weight': 'bold',
      'text-max-width': 180 } },
    { selector: 'node.virtual', style: { 'border-style': 'dotted', 'border-width': 3, 'border-color': '#1a73e8' } },
    { selector: 'node.agent', style: { 'background-color': COLORS.agent, 'border-style': 'dashed', 'color': '#80868b' } },
    { selector: 'node.holder', style: { 'background-color': COLORS.holder, 'width': 34, 'height': 34, 'border-width': 3,
      'border-color': '#b06000', 'font-weight': 'bold' } },
    { selector: 'node.forking', style: { 'background-color': COLORS.forking, 'shape': 'diamond', 'width': 40,
      'height': 40, 'border-width': 3, 'border-color': '#0d652d', 'font-weight': 'bold' } },
    { selector: 'node.forking, node.holder', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
    { selector: 'node.lock', style: { 'background-color': COLORS.lock, 'shape': 'octagon', 'width': 34, 'height': 34,
      'border-width': 3, 'border-color': '#a50e0e', 'font-weight': 'bold', 'color': '#a50e0e' } },
    { selector: 'node.classInit', style: { 'background-color': COLORS.classInit, 'shape': 'tag', 'width': 30, 'height': 30 } },
    { selector: 'node.python', style: { 'background-color': COLORS.python, 'shape': 'round-rectangle' } },
    { selector: 'node.os', style: { 'background-color': COLORS.os, 'shape': 'barrel', 'width': 44, 'height': 30 } },
    { selector: 'node.child', style: { 'shape': 'ellipse', 'width': 36, 'height': 36, 'background-color': COLORS.EXITED } },
    { selector: 'node.child.HUNG', style: { 'background-color': COLORS.HUNG } },
    { selector: 'node.child.KILLED', style: { 'background-color': COLORS.KILLED } },
    { selector: 'node.child.RUNNING', style: { 'background-color': COLORS.RUNNING } },
    { selector: 'node.executor', style: { 'background-color': '#f1f3f4', 'background-opacity': 1, 'border-color': '#bdc1c6',
      'border-style': 'dashed', 'text-valign': 'top', 'text-margin-y': -4, 'color': '#5f6368', 'padding': 12 } },
    { selector: 'node:selected', style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    { selector: 'edge', style: { 'width': 2, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
      'label': 'data(label)', 'font-size': 10, 'text-rotation': 'autorotate', 'text-background-color': '#fff',
      'text-background-opacity': 1, 'color': '#5f6368' } },
    { selector: 'edge.holds', style: { 'line-color': COLORS.lock, 'target-arrow-color': COLORS.lock, 'width': 3 } },
    { selector: 'edge.forks', style: { 'line-color': COLORS.forking, 'target-arrow-color': COLORS.forking,
      'line-style': 'dashed' } },
    { selector: 'edge.initialises', style: { 'line-color': COLORS.classInit, 'target-arrow-color': COLORS.classInit } }
  ];

  function legend() {
    var ul = document.getElementById('legend');
    [['forking thread', COLORS.forking], ['vanishes holding a lock', COLORS.holder],
      ['orphaned lock', COLORS.lock], ['vanishes', COLORS.thread], ['class being initialised', COLORS.classInit],
      ['JVM-internal / native', COLORS.os], ['group', '#80868b']]
      .concat(pythonThreads().length ? [['Python thread', COLORS.python]] : [])
      .forEach(function (p) {
      var li = el('li');
      var sw = el('span', 'swatch');
      sw.style.background = p[1];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(p[0]));
      ul.appendChild(li);
    });
  }

  function field(dl, name, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el('dt', null, name));
    var dd = el('dd');
    if (Array.isArray(value)) {
      dd.appendChild(el('pre', null, value.join('\n')));
    } else {
      dd.textContent = String(value);
    }
    dl.appendChild(dd);
  }

  function details(data) {
    var pane = document.getElementById('details');
    pane.textContent = '';
    pane.appendChild(el('div', 'kind', data.kind));
    pane.appendChild(el('h2', null, data.label.replace('\n', ' ')));
    var dl = el('dl');
    var x = data.item;
    if (data.kind === 'child') {
      field(dl, 'Verdict', x ? x.verdict : 'none (the watchdog was off)');
      if (x) {
        field(dl, 'After the fork', x.afterMillis + ' ms');
        field(dl, 'Detail', x.detail);
        field(dl, 'Exit code', x.exitCode);
        field(dl, 'Signal', x.signal);
        field(dl, 'Likely causes', x.causes);
      }
      field(dl, 'Verdict of the report', report.verdict);
    } else if (data.id.indexOf('group:') === 0) {
      field(dl, 'Threads', x.count.toLocaleString('en') + (x.virtual ? ' virtual' : '') + ' threads, ids #'
          + x.firstId + ' to #' + x.lastId + ', ' + x.state + (x.daemon && !x.virtual ? ', daemon' : ''));
      field(dl, 'Name pattern', x.namePattern === '' ? '"" (unnamed)' : '"' + x.namePattern + '"');
      field(dl, 'Some names', x.someNames.map(function (n) { return '"' + n + '"'; }).join(', '));
      field(dl, 'Started by', x.startedBy ? '"' + x.startedBy + '"' : 'not seen (older than the agent)');
      field(dl, 'Started at', x.startedAt);
      if (x.executor) { field(dl, 'Workers of', x.executor.identity + ', created at ' + x.executor.createdAt); }
      field(dl, 'Thread container', x.container);
      field(dl, 'Stack shared by all', x.stack);
    } else if (data.kind === 'executor') {
      field(dl, 'Executor', x.identity);
      field(dl, 'Created at', x.createdAt);
    } else if (data.id === 'os-threads') {
      field(dl, 'Threads', x.map(function (t) { return t.name + ' (tid ' + t.tid + ', ' + t.kind + ', ' + t.state + ')'; }));
    } else if (data.id.indexOf('lock:') === 0) {
      field(dl, 'Identity', x.identity);
      field(dl, 'Held by', '"' + x.holderName + '" #' + x.holderId + ', which does not exist in the child');
      field(dl, 'Locked at', x.lockedAt);
      field(dl, 'Created at', x.createdAt || (x.kind === 'MONITOR' ? 'not tracked (a monitor)' : 'not tracked'));
      field(dl, 'Creation stack', x.creationStack);
    } else if (data.id.indexOf('python:') === 0) {
      field(dl, 'Python thread', '"' + x.name + '"' + (x.daemon ? ' daemon' : '')
          + (x.nativeId !== null && x.nativeId !== undefined ? ', native id ' + x.nativeId : ''));
      field(dl, 'Python', report.python.implementation + ' ' + report.python.version);
      field(dl, 'Stack at the fork (most recent call last)', pythonTraceback(x.stack));
    } else if (data.id.indexOf('class:') === 0) {
      field(dl, 'Class', x.className);
      field(dl, 'Initialised by', '"' + x.threadName + '" #' + x.threadId);
    } else {
      field(dl, 'Thread', '"' + x.name + '" #' + x.id + (x.virtual ? ' virtual' : x.daemon ? ' daemon' : '') + ', '
          + x.state);
      field(dl, 'Started by', x.startedBy ? '"' + x.startedBy + '"' : 'not seen (older than the agent)');
      field(dl, 'Started at', x.startedAt);
      field(dl, 'Start stack', x.startStack);
      if (x.executor) { field(dl, 'Worker of', x.executor.identity + ', created at ' + x.executor.createdAt); }
      if (x.virtual) { field(dl, 'Virtual thread in', x.container || 'unknown container'); }
      field(dl, x.virtual ? 'Stack (from the dump after the fork)' : 'Stack at the fork', x.stack);
      if (data.kind === 'forking thread' && report.python && report.python.forkingThread) {
        var p = report.python;
        field(dl, 'Python code that forked (most recent call last)', pythonTraceback(p.forkingThread.stack));
        field(dl, 'Python', p.implementation + ' ' + p.version + '; forked by ' + p.forkedBy
            + (p.startMethod ? ', multiprocessing start method ' + p.startMethod : ''));
      }
    }
    pane.appendChild(dl);
    pane.appendChild(el('p', 'hint', 'Click a node for its creation site and stack.'));
  }

  // What the fork is about on top, in two rows of a grid: each thread that matters (the forking
  // thread, each holder) above what it leaves behind (the child, its locks, its classes). Below, the
  // threads that merely vanish, in a grid of their own, pool workers beside each other.
  function layout(cy) {
    var w = Math.max(cy.width(), 600);
    var cells = {}, col = 0;
    cy.nodes('.forking, .holder').forEach(function (root) {
      var targets = root.outgoers('node');
      cells[root.id()] = { row: 0, col: col };
      targets.forEach(function (t, i) { cells[t.id()] = { row: 1, col: col + i }; });
      col += Math.max(1, targets.length);
    });
    var top = cy.nodes().filter(function (n) { return cells[n.id()] !== undefined; });
    top.layout({ name: 'grid', fit: false, animate: false, avoidOverlap: true, nodeDimensionsIncludeLabels: true,
      rows: 2, cols: Math.max(1, col), position: function (n) { return cells[n.id()]; },
      boundingBox: { x1: 0, y1: 0, w: Math.min(w, Math.max(1, col) * 220), h: 220 } }).run();
    var rest = cy.nodes().not(top).not('.executor');
    var perRow = Math.max(1, Math.floor(w / 150));
    var rows = Math.ceil(rest.length / perRow);
    rest.layout({ name: 'grid', fit: false, animate: false, avoidOverlap: true, nodeDimensionsIncludeLabels: true,
      condense: true, rows: rows, sort: function (a, b) {
        var pa = a.data('parent') || '~', pb = b.data('parent') || '~';
        return pa < pb ? -1 : pa > pb ? 1 : a.data('label').localeCompare(b.data('label'));
      },
      boundingBox: { x1: 0, y1: 290, w: w, h: Math.max(90, rows * 70) } }).run();
    cy.fit(undefined, 24);
  }

  // Marks for whoever checks the page (the browser test): what was laid out, and where.
  function recordRendered(cy) {
    var ul = document.getElementById('rendered-nodes');
    var extent = cy.extent();
    cy.nodes().forEach(function (n) {
      var p = n.renderedPosition();
      var li = el('li', null, n.data('kind') + ': ' + n.data('label').replace('\n', ' '));
      li.setAttribute('data-node-id', n.id());
      li.setAttribute('data-classes', n.classes().join(' '));
      li.setAttribute('data-x', Math.round(p.x));
      li.setAttribute('data-y', Math.round(p.y));
      var bb = n.boundingBox();
      li.setAttribute('data-in-view', String(bb.x1 >= extent.x1 - 1 && bb.x2 <= extent.x2 + 1
          && bb.y1 >= extent.y1 - 1 && bb.y2 <= extent.y2 + 1));
      ul.appendChild(li);
    });
    var r = document.getElementById('graph').getBoundingClientRect();
    document.body.setAttribute('data-graph-rect', [r.left, r.top, r.width, r.height].map(Math.round).join(','));
    document.body.setAttribute('data-node-count', String(cy.nodes().length));
    document.body.setAttribute('data-edge-count', String(cy.edges().length));
    document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
    document.body.setAttribute('data-graph', 'rendered');
  }

  header();
  timeline();
  legend();
  var cy = cytoscape({
    container: document.getElementById('graph'),
    elements: elements(),
    style: style,
    wheelSensitivity: 0.3,
    layout: { name: 'preset' }
  });
  layout(cy);
  cy.on('tap', 'node', function (evt) { details(evt.target.data()); });
  // Open on the node named by '#select=<node id>', else on what matters most: the first orphaned
  // lock's holder, else the forking thread.
  var first = (report.orphanedLocks || [])[0];
  var wanted = location.hash.indexOf('#select=') === 0 ? cy.getElementById(decodeURIComponent(location.hash.substring(8)))
      : cy.collection();
  var start = wanted.length ? wanted : first ? cy.getElementById('thread:' + first.holderId) : cy.nodes('.forking');
  if (start.length) {
    start.select();
    details(start.data());
  }
  recordRendered(cy);
})();

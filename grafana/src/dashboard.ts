// The db_sentinel dashboard as typed code (grafana-foundation-sdk). `npm run dashboard` writes it to
// grafana/dashboards/db_sentinel.json, which is committed; test/unit/grafana-dashboard.test.ts fails when it is stale.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { healthPanels } from './health-panels';
import { maxBy, rateOf, selector } from './queries';

/** Pinned: links, provisioning and the tests find the dashboard by it. */
export const DASHBOARD_UID = 'db-sentinel';
export const DASHBOARD_TITLE = 'db_sentinel';

/** Every panel and every variable query goes through the dashboard's datasource variable. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

const STATUS_MAPPINGS: dashboard.ValueMapping[] = [{
  type: dashboard.MappingType.ValueToText,
  options: {
    '0': { text: 'ok', color: 'green', index: 0 },
    '1': { text: 'warning', color: 'yellow', index: 1 },
    '2': { text: 'critical', color: 'red', index: 2 },
    '3': { text: 'unknown', color: 'gray', index: 3 },
  },
}];

export function query(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr).legendFormat(legend).range();
}

/** An instant query in table format: one row per series, labels as columns. */
function tableQuery(refId: string, expr: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(DATASOURCE).refId(refId).expr(expr)
    .format(prometheus.PromQueryFormat.Table).instant();
}

export function timeSeries(title: string, description: string, unit: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().title(title).description(description).datasource(DATASOURCE).unit(unit)
    .min(0).fillOpacity(10).lineWidth(1).height(8).span(12)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom)
      .showLegend(true).calcs(['lastNotNull', 'max']));
}

function queryVariable(name: string, label: string, definition: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name).label(label).datasource(DATASOURCE)
    .query(definition).definition(definition)
    .current({ text: 'All', value: '$__all' })
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged).sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true).includeAll(true).allValue('.+');
}

export type PanelBuilders = cog.Builder<dashboard.Panel>[];

function statusPanels(): PanelBuilders {
  return [
    new stat.PanelBuilder().title('Check status')
      .description('Worst status of each db_sentinel check over the selected instances (0 ok, 1 warning, 2 critical, 3 unknown).')
      .datasource(DATASOURCE).unit(units.NoUnit).mappings(STATUS_MAPPINGS).height(4).span(24)
      .colorMode(common.BigValueColorMode.Background).graphMode(common.BigValueGraphMode.None)
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
      .withTarget(query('A', maxBy(['check'], selector('db_sentinel_check_status')), '{{check}}')),
  ];
}

function databasePanels(): PanelBuilders {
  const perDatabase = { perDatabase: true };
  return [
    timeSeries('Connections by state', 'Sessions of each database by state, against its max_connections.', units.Short)
      .withTarget(query('A', maxBy(['instance', 'db', 'state'], selector('db_sentinel_db_connections', perDatabase)),
        '{{instance}} {{db}} {{state}}'))
      .withTarget(query('B', maxBy(['instance', 'db'], selector('db_sentinel_db_max_connections', perDatabase)),
        '{{instance}} {{db}} max_connections'))
      .overrideByRegexp('.*max_connections', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]),
    timeSeries('Query latency', 'Mean execution time over all statements (pg_stat_statements / performance_schema), and the longest running query and transaction now.', units.Seconds)
      .withTarget(query('A', maxBy(['instance', 'db'], selector('db_sentinel_db_query_mean_seconds', perDatabase)),
        '{{instance}} {{db}} mean'))
      .withTarget(query('B', maxBy(['instance', 'db'], selector('db_sentinel_db_longest_query_seconds', perDatabase)),
        '{{instance}} {{db}} longest query'))
      .withTarget(query('C', maxBy(['instance', 'db'], selector('db_sentinel_db_longest_transaction_seconds', perDatabase)),
        '{{instance}} {{db}} longest transaction')),
    slowQueriesTable(),
    tuningDriftTable(),
  ];
}

/** Rank slots joined into one row per statement: its normalized text, calls, mean time and plan findings. */
function slowQueriesTable(): table.PanelBuilder {
  // The slot includes job: db_analyzer and db_textfile collect on their own schedules, so the same rank can hold
  // different statements in the two jobs, and joining across them would match two info series to one slot.
  const slot = ['instance', 'job', 'db', 'rank'];
  const info = maxBy([...slot, 'queryid', 'query'], selector('db_sentinel_slow_query_info', { perDatabase: true }));
  const mean = maxBy(slot, selector('db_sentinel_slow_query_mean_seconds', { perDatabase: true }));
  const calls = maxBy(slot, selector('db_sentinel_slow_query_calls', { perDatabase: true }));
  // A slot without findings has no findings series: count it as 0 so that the row still shows.
  const findings = `sum by (${slot.join(', ')}) (${selector('db_sentinel_slow_query_findings', { perDatabase: true })}) or ${calls} * 0`;
  return new table.PanelBuilder().title('Top slowest queries')
    .description('The slowest statements by mean time (normalized text, never literals), with their calls and the number of findings in their plans; the full plans are in the report (GET /report).')
    .datasource(DATASOURCE).unit(units.Short).height(10).span(24)
    .withTarget(tableQuery('A', `${mean} * on (${slot.join(', ')}) group_left (queryid, query) ${info}`))
    .withTarget(tableQuery('B', calls))
    .withTarget(tableQuery('C', findings))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        indexByName: { instance: 0, db: 1, rank: 2, query: 3, 'Value #B': 4, 'Value #A': 5, 'Value #C': 6, queryid: 7, job: 8 },
        renameByName: { query: 'Query', 'Value #A': 'Mean time', 'Value #B': 'Calls', 'Value #C': 'Findings', queryid: 'Query id' },
      },
    })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Mean time').desc(true)])
    .overrideByName('Mean time', [{ id: 'unit', value: units.Seconds }])
    .overrideByName('Findings', [{ id: 'unit', value: units.Short }, { id: 'custom.cellOptions', value: { type: 'color-background' } },
      { id: 'thresholds', value: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] } }]);
}

function tuningDriftTable(): table.PanelBuilder {
  return new table.PanelBuilder().title('Tuning drift')
    .description('Each setting of the tuning profile: the value on the host and the value the profile wants. Drifting settings are fixed by `salt-run state.orchestrate remediate`.')
    .datasource(DATASOURCE).unit(units.BoolYesNo).height(10).span(24)
    .withTarget(tableQuery('A', maxBy(['instance', 'setting', 'actual', 'desired'], selector('db_sentinel_tuning_drift'))))
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        indexByName: { instance: 0, setting: 1, actual: 2, desired: 3, Value: 4 },
        renameByName: { setting: 'Setting', actual: 'Actual', desired: 'Desired', Value: 'Drifting' },
      },
    })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Drifting').desc(true)])
    .overrideByName('Drifting', [{ id: 'custom.cellOptions', value: { type: 'color-background' } },
      { id: 'thresholds', value: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] } }]);
}

function osPanels(): PanelBuilders {
  return [
    timeSeries('CPU usage', 'Share of CPU time by mode (vmstat sample of db_sentinel), idle left out.', units.PercentUnit)
      .max(1).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .withTarget(query('A', maxBy(['instance', 'mode'], selector('db_sentinel_cpu_ratio', { matchers: ['mode!="idle"'] })),
        '{{instance}} {{mode}}')),
    timeSeries('I/O wait', 'Share of CPU time waiting for I/O: the db_sentinel sample, and node_exporter over the whole interval.', units.PercentUnit)
      .max(1)
      .withTarget(query('A', maxBy(['instance'], selector('db_sentinel_cpu_ratio', { matchers: ['mode="iowait"'] })),
        '{{instance}} db_sentinel'))
      .withTarget(query('B', `avg by (instance) (${rateOf(selector('node_cpu_seconds_total', { matchers: ['mode="iowait"'] }))})`,
        '{{instance}} node_exporter')),
    timeSeries('Available memory', 'MemAvailable against MemTotal.', units.BytesIEC)
      .withTarget(query('A', maxBy(['instance'], selector('db_sentinel_memory_available_bytes')), '{{instance}} available'))
      .withTarget(query('B', maxBy(['instance'], selector('db_sentinel_memory_total_bytes')), '{{instance}} total')),
    timeSeries('Swap', 'Swap in use (any is a problem on a database host) against swap size.', units.BytesIEC)
      .withTarget(query('A', maxBy(['instance'], selector('db_sentinel_swap_used_bytes')), '{{instance}} used'))
      .withTarget(query('B', maxBy(['instance'], selector('db_sentinel_swap_total_bytes')), '{{instance}} total')),
    timeSeries('Disk await', 'Mean time of an I/O request per device (iostat await).', units.Seconds)
      .withTarget(query('A', maxBy(['instance', 'device'], selector('db_sentinel_disk_await_seconds')), '{{instance}} {{device}}')),
    timeSeries('Disk utilization', 'Share of time each device was busy (iostat %util).', units.PercentUnit)
      .max(1)
      .withTarget(query('A', maxBy(['instance', 'device'], selector('db_sentinel_disk_utilization_ratio')), '{{instance}} {{device}}')),
    timeSeries('Run queue', 'Runnable threads (vmstat r) against the number of CPUs.', units.Short)
      .withTarget(query('A', maxBy(['instance'], selector('db_sentinel_run_queue')), '{{instance}} runnable'))
      .withTarget(query('B', maxBy(['instance'], selector('db_sentinel_cpus')), '{{instance}} CPUs')),
    timeSeries('Context switches', 'Context switches per second: the db_sentinel sample, and node_exporter over the whole interval.', units.CountsPerSecond)
      .withTarget(query('A', maxBy(['instance'], selector('db_sentinel_context_switches_per_second')), '{{instance}} db_sentinel'))
      .withTarget(query('B', `sum by (instance) (${rateOf(selector('node_context_switches_total'))})`, '{{instance}} node_exporter')),
  ];
}

export function buildDashboard(): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(DASHBOARD_TITLE)
    .uid(DASHBOARD_UID)
    .description('Health of PostgreSQL and MySQL/MariaDB hosts from db_sentinel (db_analyzer /metrics and the node_exporter textfile).')
    .tags(['db_sentinel', 'postgresql', 'mysql'])
    .readonly()
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    // An explicit (empty) list: Grafana adds its built-in annotations to it on load.
    .annotations([])
    .withVariable(new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(queryVariable('job', 'Job', 'label_values(up{db_engine!=""}, job)'))
    .withVariable(queryVariable('cluster', 'Cluster', 'label_values(up{job=~"$job", db_engine!=""}, cluster)'))
    .withVariable(queryVariable('role', 'Role', 'label_values(up{job=~"$job", db_engine!="", cluster=~"$cluster"}, role)'))
    .withVariable(queryVariable('instance', 'Instance', 'label_values(up{job=~"$job", db_engine!="", cluster=~"$cluster", role=~"$role"}, instance)'))
    .withVariable(queryVariable('db', 'Database', 'label_values(db_sentinel_db_up{job=~"$job", cluster=~"$cluster", role=~"$role", instance=~"$instance"}, db)'));
  // Expanded rows as headings with their panels after them on the top level (Grafana's layout for open rows).
  for (const [title, panels] of [['Status', statusPanels()], ['Database', databasePanels()], ['Database health', healthPanels()], ['Operating system', osPanels()]] as const) {
    builder.withRow(new dashboard.RowBuilder(title));
    for (const panel of panels) builder.withPanel(panel);
  }
  const built = builder.build();
  // Stable panel ids in layout order (links to a panel and Grafana's panel editor use them).
  built.panels?.forEach((panel, index) => {
    panel.id = index + 1;
  });
  return built;
}
